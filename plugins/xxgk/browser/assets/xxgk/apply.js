// @ts-check
// 依申请公开 application form (templates/xxgk/apply.html): checks what the reader types and fills
// the printable application. Nothing is sent: the form has no action and no submit button.
// The fields and which check each gets come from output/apply_form.py (data-check).

import RULES from "./rules.js";

const form = /** @type {HTMLFormElement | null} */ (document.getElementById("xx-aform"));
const sheet = document.getElementById("xx-apply-sheet");
const article = document.getElementById("xx-apply");

// GB 11643: birth date and check digit of an 18-digit 居民身份证号; its weights, check
// characters and birth years come from rules.js (core/idnumber.py, which the privacy scan uses).
const ID = RULES.id_number;
export function idNumberOk(v) {
  if (!/^[1-9]\d{16}[\dX]$/.test(v)) return false;
  const y = +v.slice(6, 10), m = +v.slice(10, 12), d = +v.slice(12, 14);
  const born = new Date(Date.UTC(y, m - 1, d));
  if (y < ID.born[0] || y > ID.born[1] || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) return false;
  const sum = ID.weights.reduce((s, w, i) => s + w * +v[i], 0);
  return ID.check[sum % 11] === v[17];
}

// GB 32100: the 统一社会信用代码's check character, its alphabet and weights from rules.js
// (core/orgcode.py).
const USCC = RULES.uscc;
export function usccOk(v) {
  if (v.length !== 18 || [...v].some((c) => !USCC.chars.includes(c))) return false;
  const sum = USCC.weights.reduce((s, w, i) => s + w * USCC.chars.indexOf(v[i]), 0);
  return USCC.chars[(31 - (sum % 31)) % 31] === v[17];
}

const normal = (v) => v.normalize("NFKC").replace(/[\s-]/g, "").toUpperCase();
const CHECKS = {
  id: (v, f) => {
    const kind = f.elements.namedItem("id_type").value;
    if (kind && !kind.includes("身份证")) return "";
    return idNumberOk(normal(v)) ? "" : "居民身份证号应为 18 位，出生日期和最后一位校验码须正确；请核对";
  },
  uscc: (v) => (usccOk(normal(v)) ? "" : "统一社会信用代码应为 18 位，最后一位校验码须正确；请核对"),
  phone: (v) =>
    /^1[3-9]\d{9}$/.test(normal(v)) || /^0\d{2,3}\d{7,8}$/.test(normal(v).replace(/[()（）]/g, ""))
      ? ""
      : "请填写 11 位手机号码，或区号加座机号码（如 0999-62200315）",
  postcode: (v) => (/^\d{6}$/.test(normal(v)) ? "" : "邮政编码为 6 位数字"),
  email: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? "" : "电子邮箱的格式应如 name@example.cn"),
};

/** @typedef {HTMLInputElement | HTMLTextAreaElement} Entry a field the reader types in */

function who() {
  return /** @type {RadioNodeList} */ (/** @type {HTMLFormElement} */ (form).elements.namedItem("who")).value;
}

function showWho() {
  for (const set of /** @type {NodeListOf<HTMLFieldSetElement>} */ (/** @type {HTMLFormElement} */ (form).querySelectorAll("fieldset[data-who]"))) {
    const on = set.dataset.who === who();
    set.hidden = !on;
    set.disabled = !on; // a hidden applicant type is neither checked nor printed
  }
}

function fieldProblem(el) {
  const v = el.value.trim();
  if (!v) return el.required ? `请填写${el.dataset.label}` : "";
  const check = CHECKS[el.dataset.check];
  return check ? check(v, form) : "";
}

function mark(el, message) {
  const err = document.getElementById(`${el.id}-err`);
  err.textContent = message;
  if (message) el.setAttribute("aria-invalid", "true");
  else el.removeAttribute("aria-invalid");
}

function groupProblem(name, id, what) {
  const boxes = /** @type {NodeListOf<HTMLInputElement>} */ (/** @type {HTMLFormElement} */ (form).querySelectorAll(`input[name=${name}]:checked`));
  const chosen = [...boxes].map((b) => b.value);
  document.getElementById(`${id}-err`).textContent = chosen.length ? "" : `请至少选择一种${what}`;
  return chosen;
}

function check() {
  const problems = [];
  for (const el of /** @type {NodeListOf<Entry>} */ (/** @type {HTMLFormElement} */ (form).querySelectorAll("input[data-label], textarea[data-label]"))) {
    if (el.disabled || el.closest("fieldset[disabled]")) continue;
    const message = fieldProblem(el);
    mark(el, message);
    if (message) problems.push([el.id, message]);
  }
  const forms = groupProblem("form", "xx-a-forms", "获取信息的形式");
  const ways = groupProblem("way", "xx-a-ways", "获取信息的途径");
  if (!forms.length) problems.push(["xx-a-forms", "请至少选择一种获取信息的形式"]);
  if (!ways.length) problems.push(["xx-a-ways", "请至少选择一种获取信息的途径"]);
  return { problems, forms, ways };
}

function summarise(problems) {
  const box = document.getElementById("xx-aform-errors");
  box.replaceChildren();
  box.hidden = !problems.length;
  if (!problems.length) return;
  const head = document.createElement("p");
  head.textContent = `申请表有 ${problems.length} 处需要修改：`;
  const list = document.createElement("ul");
  for (const [id, message] of problems) {
    const a = document.createElement("a");
    a.href = `#${id}`;
    a.textContent = message;
    const li = document.createElement("li");
    li.append(a);
    list.append(li);
  }
  box.append(head, list);
  box.focus();
}

function fillSheet(forms, ways) {
  const rows = [["申请人类型", "", who()]];
  for (const el of /** @type {NodeListOf<Entry>} */ (/** @type {HTMLFormElement} */ (form).querySelectorAll("input[data-label], textarea[data-label]"))) {
    if (el.closest("fieldset[disabled]")) continue;
    rows.push([el.tagName === "TEXTAREA" ? "所需信息" : "申请人信息", el.dataset.label, el.value.trim()]);
  }
  rows.push(["所需信息", "获取信息的形式", forms.join("、")], ["所需信息", "获取信息的途径", ways.join("、")]);
  const body = document.getElementById("xx-apply-rows");
  body.replaceChildren();
  rows.forEach(([group, label, value], n) => {
    const tr = document.createElement("tr");
    if (n === 0 || rows[n - 1][0] !== group) {
      // one group cell spans its rows, as on the printed form
      const th = document.createElement("th");
      th.scope = "rowgroup";
      th.textContent = group;
      const span = rows.slice(n).findIndex(([g]) => g !== group);
      th.rowSpan = span < 0 ? rows.length - n : span;
      if (!label) th.colSpan = 2;
      tr.append(th);
    }
    if (label) {
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = label;
      tr.append(th);
    }
    const td = document.createElement("td");
    td.textContent = value;
    tr.append(td);
    body.append(tr);
  });
  const now = new Date();
  document.getElementById("xx-apply-date").textContent = `${now.getFullYear()}年${now.getMonth() + 1}月${now.getDate()}日`;
  sheet.hidden = false;
  article.dataset.ready = "";
}

if (form) {
  showWho();
  form.addEventListener("change", (e) => {
    if (/** @type {HTMLInputElement} */ (e.target).name === "who") showWho();
    sheet.hidden = true; // a changed form prints only after the next check
    delete article.dataset.ready;
  });
  form.addEventListener("focusout", (e) => {
    const el = /** @type {Entry} */ (e.target);
    if (el.dataset && el.dataset.label && el.value.trim()) mark(el, fieldProblem(el));
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  document.getElementById("xx-aform-print").addEventListener("click", () => {
    const { problems, forms, ways } = check();
    summarise(problems);
    if (problems.length) return;
    fillSheet(forms, ways);
    sheet.scrollIntoView();
    window.print();
  });
}
