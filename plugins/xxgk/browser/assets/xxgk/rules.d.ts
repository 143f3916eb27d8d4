// The shape of rules.js, which the build writes (plugins/xxgk/search/browser.py rules()).
declare const rules: {
  statuses: { label: string; css: string; mark: string; in_force: boolean; repealed: boolean; title: string }[];
  routes: Record<string, string>;
  han: [number, number][];
  doc_no: string;
  order_no: string;
  digits: Record<string, number>;
  units: Record<string, number>;
  keys: { own: string; cited: string; index: string };
  run_end: string;
  index_no: string;
  id_number: { weights: number[]; check: string; born: [number, number] };
  uscc: { chars: string; weights: number[] };
};
export default rules;
