// @ts-check
// Helpers every page script shares: building elements, reading a form from the address,
// and the date as the site writes it.

/**
 * An element with properties and children (null children are left out).
 * @param {string} tag
 * @param {Record<string, any>} [props]
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) if (c != null) node.append(c);
  return node;
}

/**
 * Set each named field of `form` the address gives a value for (a checkbox: checked when the
 * address holds its value); returns the address's parameters.
 * @param {HTMLFormElement} form
 * @returns {URLSearchParams}
 */
export function fromUrl(form) {
  const params = new URLSearchParams(location.search);
  for (const field of /** @type {HTMLInputElement[]} */ ([...form.elements])) {
    if (!field.name) continue;
    if (field.type === "checkbox") field.checked = params.get(field.name) === field.value;
    else if (params.has(field.name)) field.value = params.get(field.name) || "";
  }
  return params;
}

/**
 * A form's fields as the address of its answer (?date=…&status=…), empty ones left out.
 * @param {HTMLFormElement} form
 * @param {(key: string, value: string) => boolean} [keep] which further to leave out
 */
export function toUrl(form, keep = () => true) {
  const params = new URLSearchParams();
  for (const [k, v] of new FormData(form)) if (typeof v === "string" && v !== "" && keep(k, v)) params.set(k, v);
  return params;
}

/**
 * 2021年7月1日, from an ISO date.
 * @param {string} iso
 */
export const cnDate = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${y}年${m}月${d}日`;
};
