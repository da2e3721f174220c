// The plain redirect form: 410 Gone has no target, so its target fields are hidden and
// disabled while it is chosen (the server refuses a 410 with a target either way).
(() => {
  const GONE = '410';

  function wrapperOf(input) {
    return input.closest('[data-field-wrapper]') || input.parentElement;
  }

  function connect(form) {
    const status = form.querySelector('[data-redirect-status]');
    if (!status) return;
    const targets = Array.from(form.querySelectorAll('[data-redirect-target]'));
    const update = () => {
      const gone = status.value === GONE;
      targets.forEach((input) => {
        const wrapper = wrapperOf(input);
        wrapper.hidden = gone;
        wrapper.querySelectorAll('input, select, textarea, button').forEach((control) => {
          control.disabled = gone;
        });
      });
    };
    status.addEventListener('change', update);
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
