/* Sidebar toggles that work on every page and at every width.
 *
 * The pinned theme pair (sphinx-book-theme with pydata-sphinx-theme 0.17) wires only
 * the first .primary-toggle and the first .secondary-toggle of a page: those in the
 * top navbar, which sphinx-book-theme hides (pydata-sphinx-theme issue 2451). The
 * buttons a reader sees, in the article header, did nothing. Each of them now
 * forwards its click to the first one, whose handlers do the right thing for the
 * width: a dialog with the table of contents on narrow screens, a collapsed sidebar
 * on wide ones. aria-expanded tells screen readers which state the sidebar is in.
 */
(function () {
  "use strict";
  function wire(selector, panelSelector) {
    var toggles = document.querySelectorAll(selector);
    var panel = document.querySelector(panelSelector);
    Array.prototype.forEach.call(toggles, function (toggle, i) {
      if (i > 0) {
        toggle.addEventListener("click", function (event) {
          event.preventDefault();
          event.stopPropagation();
          toggles[0].click();
        });
      }
      if (panel && panel.id) { toggle.setAttribute("aria-controls", panel.id); }
    });
  }
  wire(".primary-toggle", "#pst-primary-sidebar");
  wire(".secondary-toggle", "#pst-secondary-sidebar");
})();
