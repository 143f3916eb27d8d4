// @ts-check
// 关怀版 (长者模式) and printing. Loaded in <head> without defer, so the mode is set on <html>
// before the page is drawn. The choice stays in this browser (localStorage; no cookie is sent);
// ?care=1 / ?care=0 in an address turns it on or off. Without JavaScript, #xx-care does (care.css).
(() => {
  const KEY = "xxgk.care";
  const root = document.documentElement;
  const saved = () => { try { return localStorage.getItem(KEY) === "1"; } catch { return false; } };
  const save = (on) => { try { if (on) localStorage.setItem(KEY, "1"); else localStorage.removeItem(KEY); } catch { /* storage off: this page only */ } };

  const asked = new URLSearchParams(location.search).get("care");
  if (asked === "1" || asked === "0") save(asked === "1");
  root.classList.toggle("xx-care", asked === "1" || (asked !== "0" && saved()));

  // a classic script (a module would run after the page is drawn) cannot import page.js cnDate
  const cnDate = (d) => `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日`;
  function stampPrint() {
    for (const el of document.querySelectorAll("[data-xx-print-date]")) el.textContent = cnDate(new Date());
    for (const el of document.querySelectorAll("[data-xx-page-url]")) if (!el.textContent.trim()) el.textContent = location.href;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("xx-care-switch");
    if (button) {
      const show = () => button.setAttribute("aria-pressed", String(root.classList.contains("xx-care")));
      button.hidden = false;
      show();
      button.addEventListener("click", () => {
        const on = !root.classList.contains("xx-care");
        root.classList.toggle("xx-care", on);
        save(on);
        show();
      });
    }
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-xx-print]"))) {
      el.hidden = false;
      el.addEventListener("click", () => window.print());
    }
    stampPrint();
  });
  window.addEventListener("beforeprint", stampPrint);
})();
