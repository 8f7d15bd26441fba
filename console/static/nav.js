// Narrow screens: the navigation starts collapsed behind the Menu button (wide screens ignore the state).
// A file rather than an inline script: the console's Content-Security-Policy allows scripts from 'self' only.
(function () {
  var button = document.querySelector('.nav-toggle');
  var header = button && button.closest('header');
  if (!header) return;
  button.addEventListener('click', function () {
    var open = header.classList.toggle('nav-open');
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  });
})();
