// @ts-check
// The authoring form's preview: the item page's banner, metadata table and body, with the
// site's CSS. The status is the site's: the core's rule (assets/xxgk/lifecycle.js statusOn)
// on the as-of day of the build that wrote the form, its words from rules.js (core/status.py).
import { statusOn } from "../assets/xxgk/lifecycle.js";
import RULES from "../assets/xxgk/rules.js";

const KIND = Object.fromEntries(RULES.statuses.map((k) => [k.label, k]));

/**
 * The item's status on the build's day. `config.newer`: index_no -> its newer version's
 * revision date, for the items the site knows to be revised (authoring/page.py).
 * @param {import("../assets/xxgk/lifecycle.js").Fields & {index_no?: string}} fields
 * @param {{today: string, newer: Record<string, string>}} config
 */
export function previewStatus(fields, config) {
  const newer = config.newer[fields.index_no || ""];
  return statusOn(fields, config.today, newer === undefined ? null : newer);
}

/** @param {any} entry @param {string} key */
export function get(entry, key) {
  const v = entry.getIn(["data", key]);
  return v && v.toJS ? v.toJS() : v;
}

/**
 * The 索引号 proposed as the publisher's next free serial for the year of 发布日期
 * (the build worked it out with the same rule as `xxgk new`). Staff may overwrite it.
 * @param {Record<string, Record<string, string>>} table
 * @param {any} data
 */
export function proposal(table, data) {
  const pub = data.get("publisher"), year = String(data.get("published") || "").slice(0, 4);
  return (table[pub] || {})[year] || "";
}

/** @param {any} config the configuration the build wrote (config.json) */
export function itemPreview(config) {
  const h = /** @type {any} */ (window).h;
  const names = config.names;
  return /** @type {any} */ (window).createClass({
    render() {
      const e = this.props.entry;
      /** @param {string} k */
      const d = (k) => get(e, k) || "";
      const status = previewStatus(e.get("data").toJS(), config);
      const kind = KIND[status];
      /** @param {string} a @param {any} av @param {string} b @param {any} bv */
      const row = (a, av, b, bv) => h("tr", null, h("th", { scope: "row" }, a), h("td", null, av),
        h("th", { scope: "row" }, b), h("td", null, bv));
      /** @param {string} a @param {any} av */
      const wide = (a, av) => h("tr", null, h("th", { scope: "row" }, a), h("td", { colSpan: 3 }, av));
      const badge = h("span", { className: `xx-status xx-status--${kind.css}` },
        h("span", { "aria-hidden": "true" }, kind.mark), status);
      const topics = (d("topics") || []).join("；");
      return h("div", { className: "md-typeset xx-preview" },
        h("article", { className: "xx-item" },
          !kind.in_force && h("div", { className: `xx-banner xx-banner--${kind.css}`, role: "note" },
            h("p", { className: "xx-banner__title" }, `本文件${kind.title}`),
            h("p", { className: "xx-banner__note" }, "原文保留在本页，供查阅。")),
          h("h1", null, d("title")),
          h("table", { className: "xx-meta" }, h("tbody", null,
            row("索引号", d("index_no") || (e.get("newRecord") && proposal(config.next_index_no, e.get("data"))) || "", "主题分类", topics),
            row("发布机构", names.publisher[d("publisher")] || d("publisher"), "成文日期", d("written")),
            wide("标题", d("title")),
            row("发文字号", d("doc_no"), "发布日期", d("published")),
            row("有效性", badge, "文件类型", d("doc_type") || "一般信息"),
            (d("effective") || d("expires")) && row("施行日期", d("effective"), "有效期至", d("expires")),
            d("summary") && wide("内容概述", d("summary")),
            (d("keywords") || []).length > 0 && wide("关键词", d("keywords").join("；")))),
          h("div", { className: "xx-content" }, this.props.widgetFor("body"))),
        (d("interprets") || []).length > 0 && h("aside", { className: "xx-box xx-related" },
          h("h2", null, "所解读文件"),
          h("ul", null, d("interprets").map((/** @type {string} */ no) => h("li", { key: no }, no)))));
    },
  });
}
