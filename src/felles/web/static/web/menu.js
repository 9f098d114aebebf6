// The main menu on narrow screens: a disclosure button shows and hides it. Without
// JavaScript the button stays hidden and the menu is always shown.
(function () {
  "use strict";
  function setUp() {
    var button = document.querySelector(".felles-menu-button");
    var menu = document.getElementById("felles-menu");
    if (!button || !menu) return;
    button.hidden = false;
    document.documentElement.classList.add("felles-js");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
