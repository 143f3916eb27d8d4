// @ts-check
// xxgk authoring page: the 索引号 widget, the preview pane (preview.js), then Decap CMS with
// the configuration the build generated (config.json next to this file).
import { itemPreview, proposal } from "./preview.js";

const w = /** @type {any} */ (window);
const h = w.h, CMS = w.CMS;

/* Left empty, the field is filled on saving (preSave below, from the entry as saved); the
   placeholder shows the number it will get. Decap re-renders a widget only when its own value
   changes, so the widget also asks to update when the entry does. */
/** @param {Record<string, Record<string, string>>} table */
function indexNoControl(table) {
  return w.createClass({
    /** @param {any} next */
    shouldComponentUpdate(next) {
      return next.value !== this.props.value || next.entry !== this.props.entry ||
        next.classNameWrapper !== this.props.classNameWrapper;
    },
    isNew() { return Boolean(this.props.entry.get("newRecord")); },
    getValidateValue() { return this.props.value || (this.isNew() ? "auto" : ""); },
    render() {
      const p = this.props, next = this.isNew() ? proposal(table, p.entry.get("data")) : "";
      return h("input", {
        type: "text", id: p.forID, className: p.classNameWrapper, value: p.value || "",
        placeholder: this.isNew() ? "留空则保存时自动填入" + (next ? "，如 " + next : "") : "",
        onChange: (/** @type {any} */ e) => p.onChange(e.target.value.trim()),
        onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle,
      });
    },
  });
}

/** @param {Record<string, Record<string, string>>} table */
function fillIndexNo(table) {
  return (/** @type {any} */ args) => {
    const data = args.entry.get("data");
    if (data.get("index_no") || !args.entry.get("newRecord")) return data;
    return data.set("index_no", proposal(table, data));
  };
}

fetch("config.json").then((r) => r.json()).then((data) => {
  CMS.registerWidget("xxgk-index-no", indexNoControl(data.next_index_no));
  CMS.registerEventListener({ name: "preSave", handler: fillIndexNo(data.next_index_no) });
  for (const href of data.preview_styles) CMS.registerPreviewStyle(new URL("../" + href, location.href).href);  // the site's own CSS, from the site root
  const preview = itemPreview(data);
  for (const c of data.decap.collections) CMS.registerPreviewTemplate(c.name, preview);
  data.decap.site_url = data.decap.display_url = new URL("../", location.href).href;  // the site itself
  CMS.registerLocale("zh_Hans", plainWords(CMS.getLocale("zh_Hans")));
  CMS.init({ config: data.decap });
});

/* Decap's Chinese as clerks say it: one word per thing (审核中, never 审查中), no borrowed web
   words (帖子, 集合), no traditional characters, dates as numbers (its "MMMM D" is English). */
const WORDS = [["新建帖子", "新建条目"], ["帖子", "条目"], ["尋找", "搜索"], ["內容", "内容"],
               ["所有集合", "全部类型"], ["集合", "类型"], ["待审查", "待审核"], ["待检查", "待审核"],
               ["审查中", "审核中"]];

/** @type {Record<string, string>} */
const MISSING = {
  "workflow.workflow.dateFormat": "YYYY-MM-DD",
  "workflow.workflowList.dateFormat": "YYYY-MM-DD",
  "editor.editorWidgets.list.add": "添加%{item}",
  "editor.editorWidgets.list.addType": "添加%{item}",
  "editor.editorWidgets.markdown.markdown": "源文本",
  // its own reads "“发文字号”不满足模式年份请用…": a regular expression's word, no stop after it
  "editor.editorControlPane.widget.regexPattern": "“%{fieldLabel}”有误：%{pattern}",
};

/** @param {any} phrases Decap's phrase tree for zh_Hans @returns {any} the same, reworded */
function plainWords(phrases) {
  /** @param {any} o */
  const walk = (o) => {
    for (const k of Object.keys(o)) {
      if (typeof o[k] === "string") {
        for (const [from, to] of WORDS) o[k] = o[k].split(from).join(to);
      } else if (o[k] && typeof o[k] === "object") {
        walk(o[k]);
      }
    }
  };
  walk(phrases);
  for (const [path, text] of Object.entries(MISSING)) {  // phrases zh_Hans lacks (Decap shows English) or garbles
    const keys = path.split(".");
    let o = phrases;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] || {};
    o[keys[keys.length - 1]] = text;
  }
  return phrases;
}

/* Decap refuses 保存 when a field breaks its rule (the 发文字号's pattern) but says so only in red
   beside that field, often scrolled out of sight, and raises a notice only for an empty required
   field: the clerk saw nothing happen. After 保存, the first refused field is brought to the middle
   of the form with the cursor in it. (Decap validates within the click; a few later looks cover a
   validation that answers asynchronously.) */
document.addEventListener("click", (event) => {
  const button = /** @type {Element} */ (event.target).closest("button");
  if (!button || button.textContent?.trim() !== "保存") return;
  let looks = 10;
  const look = () => {
    const box = document.querySelector('[class*="ControlErrorsList"] li')?.closest('[class*="ControlContainer"]');
    if (!box) {
      if (--looks > 0) setTimeout(look, 100);
      return;
    }
    box.scrollIntoView({ block: "center" });
    const id = /** @type {HTMLLabelElement | null} */ (box.querySelector("label[for]"))?.htmlFor;
    if (id) document.getElementById(id)?.focus({ preventScroll: true });
  };
  setTimeout(look, 0);
}, true);
