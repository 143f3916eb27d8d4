/* xxgk authoring page: the 索引号 widget, the preview pane, then Decap CMS with the
   configuration the build generated (config.json next to this file). */
(function () {
  "use strict";
  var h = window.h;

  function get(entry, key) {
    var v = entry.getIn(["data", key]);
    return v && v.toJS ? v.toJS() : v;
  }

  fetch("config.json").then(function (r) { return r.json(); }).then(function (data) {
    CMS.registerWidget("xxgk-index-no", indexNoControl(data.next_index_no));
    CMS.registerEventListener({ name: "preSave", handler: fillIndexNo(data.next_index_no) });
    data.preview_styles.forEach(function (href) {   // the site's own CSS, from the site root
      CMS.registerPreviewStyle(new URL("../" + href, location.href).href);
    });
    var preview = itemPreview(data);
    data.decap.collections.forEach(function (c) { CMS.registerPreviewTemplate(c.name, preview); });
    data.decap.site_url = data.decap.display_url = new URL("../", location.href).href;  // the site itself
    CMS.registerLocale("zh_Hans", plainWords(CMS.getLocale("zh_Hans")));
    CMS.init({ config: data.decap });
  });

  /* Decap's Chinese as clerks say it: one word per thing (审核中, never 审查中), no borrowed web
     words (帖子, 集合), no traditional characters, dates as numbers (its "MMMM D" is English). */
  var WORDS = [["新建帖子", "新建条目"], ["帖子", "条目"], ["尋找", "搜索"], ["內容", "内容"],
               ["所有集合", "全部类型"], ["集合", "类型"], ["待审查", "待审核"], ["待检查", "待审核"],
               ["审查中", "审核中"]];
  var MISSING = {
    "workflow.workflow.dateFormat": "YYYY-MM-DD",
    "editor.editorWidgets.list.add": "添加%{item}",
    "editor.editorWidgets.list.addType": "添加%{item}",
    "editor.editorWidgets.markdown.markdown": "源文本",
  };
  function plainWords(phrases) {
    var walk = function (o) {
      Object.keys(o).forEach(function (k) {
        if (typeof o[k] === "string") {
          WORDS.forEach(function (w) { o[k] = o[k].split(w[0]).join(w[1]); });
        } else if (o[k] && typeof o[k] === "object") {
          walk(o[k]);
        }
      });
      return o;
    };
    walk(phrases);
    Object.keys(MISSING).forEach(function (path) {   // phrases zh_Hans lacks: Decap shows English
      var keys = path.split("."), o = phrases;
      keys.slice(0, -1).forEach(function (k) { o = o[k] = o[k] || {}; });
      o[keys[keys.length - 1]] = MISSING[path];
    });
    return phrases;
  }

  /* The 索引号 proposed as the publisher's next free serial for the year of 发布日期
     (the build worked it out with the same rule as `xxgk new`). Staff may overwrite it. */
  function proposal(table, data) {
    var pub = data.get("publisher"), year = String(data.get("published") || "").slice(0, 4);
    return (table[pub] || {})[year] || "";
  }

  /* Left empty, the field is filled on saving (preSave below, from the entry as saved); the
     placeholder shows the number it will get. Decap re-renders a widget only when its own value
     changes, so the widget also asks to update when the entry does. */
  function indexNoControl(table) {
    return window.createClass({
      shouldComponentUpdate: function (next) {
        return next.value !== this.props.value || next.entry !== this.props.entry ||
          next.classNameWrapper !== this.props.classNameWrapper;
      },
      isNew: function () { return Boolean(this.props.entry.get("newRecord")); },
      getValidateValue: function () { return this.props.value || (this.isNew() ? "auto" : ""); },
      render: function () {
        var p = this.props, next = this.isNew() ? proposal(table, p.entry.get("data")) : "";
        return h("input", {
          type: "text", id: p.forID, className: p.classNameWrapper, value: p.value || "",
          placeholder: this.isNew() ? "留空则保存时自动填入" + (next ? "，如 " + next : "") : "",
          onChange: function (e) { p.onChange(e.target.value.trim()); },
          onFocus: p.setActiveStyle, onBlur: p.setInactiveStyle,
        });
      },
    });
  }

  function fillIndexNo(table) {
    return function (args) {
      var data = args.entry.get("data");
      if (data.get("index_no") || !args.entry.get("newRecord")) return data;
      return data.set("index_no", proposal(table, data));
    };
  }

  /* The preview: the item page's banner, metadata table and body, with the site's CSS. */
  function itemPreview(data) {
    var names = data.names;
    return window.createClass({
      render: function () {
        var e = this.props.entry;
        var d = function (k) { return get(e, k) || ""; };
        var status = effectiveStatus(e, data.today);
        var row = function (a, av, b, bv) {
          return h("tr", null, h("th", { scope: "row" }, a), h("td", null, av),
                   h("th", { scope: "row" }, b), h("td", null, bv));
        };
        var wide = function (a, av) {
          return h("tr", null, h("th", { scope: "row" }, a), h("td", { colSpan: 3 }, av));
        };
        var badge = h("span", { className: "xx-status xx-status--" + data.status_class[status] },
                      h("span", { "aria-hidden": "true" }, data.status_mark[status]), status);
        var topics = (d("topics") || []).join("；");
        return h("div", { className: "md-typeset xx-preview" },
          h("article", { className: "xx-item" },
            status !== "有效" && h("div", { className: "xx-banner xx-banner--" + data.status_class[status], role: "note" },
              h("p", { className: "xx-banner__title" }, "本文件" + (status === "尚未施行" ? "尚未施行" : "已" + status.replace("已", ""))),
              h("p", { className: "xx-banner__note" }, "原文保留在本页，供查阅。")),
            h("h1", null, d("title")),
            h("table", { className: "xx-meta" }, h("tbody", null,
              row("索引号", d("index_no") || (e.get("newRecord") && proposal(data.next_index_no, e.get("data"))) || "", "主题分类", topics),
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
            h("ul", null, d("interprets").map(function (no) { return h("li", { key: no }, no); }))));
      },
    });
  }

  /* The status a reader sees on `today`, in the order FORMAT.md gives. */
  function effectiveStatus(e, today) {
    var written = get(e, "status") || "有效";
    if (written !== "有效") return written;
    var expires = get(e, "expires"), effective = get(e, "effective");
    if (expires && expires < today) return "失效";
    if (effective && effective > today) return "尚未施行";
    return "有效";
  }
})();
