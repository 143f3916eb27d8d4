// @ts-check
/* Before decap-cms.js: xxgk-admin.js starts Decap with the generated configuration itself.
   (A file, not an inline script, so a strict Content-Security-Policy can stay on.) */
/** @type {any} */ (window).CMS_MANUAL_INIT = true;

/* Decap shows a failed request as "API_ERROR: <message>"; the message local mode sends is the
   clerk's explanation in Chinese, so the English error name is dropped. */
(function () {
  const plain = Error.prototype.toString;
  Error.prototype.toString = /** @this {any} */ function () {
    return this && this.name === "API_ERROR" && this.message ? String(this.message) : plain.call(this);
  };
})();
