// @ts-check
/* Before decap-cms.js: xxgk-admin.js starts Decap with the generated configuration itself.
   (A file, not an inline script, so a strict Content-Security-Policy can stay on.) */
/** @type {any} */ (window).CMS_MANUAL_INIT = true;
