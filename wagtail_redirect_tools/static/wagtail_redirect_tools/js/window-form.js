// The scheduled redirect form: "Redirect from" is a path or a page; only the chosen
// source's fields are shown. Without this script all stay visible, and the server saves
// the source the choice names.
(() => {
  function wrapperOf(input) {
    return input.closest('[data-field-wrapper]') || input.parentElement;
  }

  function connect(form) {
    const choices = Array.from(form.querySelectorAll('[data-window-source-kind]'));
    if (!choices.length) return;
    const sources = Array.from(form.querySelectorAll('[data-window-source]'));
    const update = () => {
      const chosen = choices.find((choice) => choice.checked);
      const kind = chosen ? chosen.value : 'path';
      sources.forEach((input) => {
        wrapperOf(input).hidden = input.dataset.windowSource !== kind;
      });
    };
    choices.forEach((choice) => choice.addEventListener('change', update));
    update();
  }

  function start() {
    document.querySelectorAll('form').forEach(connect);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
