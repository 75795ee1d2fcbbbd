/* The language switch: a button in the page's header that opens the same page in the
 * other edition (EN <-> 中文). tools/book_i18n.py names that page in the head,
 * <link rel="alternate" hreflang="..." href="..." title="label">; this script shows it
 * as a link next to the header's other buttons, or at the top of the article when a
 * page has no header buttons.
 */
(function () {
  "use strict";
  var other = document.querySelector('link[rel="alternate"][hreflang]');
  if (!other) { return; }
  var link = document.createElement("a");
  link.className = "btn btn-sm language-switch";
  link.href = other.getAttribute("href");
  link.hreflang = other.getAttribute("hreflang");
  link.lang = other.getAttribute("hreflang");
  link.textContent = other.getAttribute("title");
  link.title = other.getAttribute("hreflang") === "en" ? "English edition" : "中文版";
  link.setAttribute("aria-label", other.getAttribute("hreflang") === "en" ? "EN: English edition" : "中文版");
  var buttons = document.querySelector(".article-header-buttons");
  var place = buttons || document.querySelector("main") || document.body;
  place.insertBefore(link, place.firstChild);
})();
