// The plain redirect form's "Match" choice: the "carry" tick shows only for "This path and
// everything under it", and the examples (three paths and where each would go, with the
// live pages the source covers) follow what the editor types. The server renders them
// (the pattern preview endpoint, a GET that changes nothing), so they read as the saved
// form's; without the script the form still shows them after each submission.
(() => {
  const DELAY = 250;
  const FIELDS = ['match', 'old_path', 'site', 'redirect_link', 'redirect_page', 'carry', 'status_code'];

  function wrapperOf(input) {
    return input.closest('[data-field-wrapper]') || input.closest('li') || input.parentElement;
  }

  function connect(form) {
    const preview = form.querySelector('[data-wrt-pattern-preview]');
    const carry = form.querySelector('[data-wrt-carry]');
    if (!preview || !carry) return;
    let timer = null;
    let asked = null;

    const chosenMatch = () => {
      const checked = form.querySelector('[data-wrt-match]:checked');
      return checked ? checked.value : 'exact';
    };

    const query = () => {
      const data = new FormData(form);
      const params = new URLSearchParams();
      FIELDS.forEach((name) => {
        const value = data.get(name);
        if (value) params.set(name, value);
      });
      return params.toString();
    };

    const refresh = async () => {
      const params = query();
      if (params === asked) return;
      asked = params;
      try {
        const response = await fetch(`${preview.dataset.url}?${params}`, {
          headers: { Accept: 'application/json' },
          credentials: 'same-origin',
        });
        if (!response.ok || params !== asked) return;
        const answer = await response.json();
        preview.innerHTML = answer.html;
      } catch (error) {
        // Offline or refused: the examples stay as they were; saving shows them again.
      }
    };

    const update = () => {
      wrapperOf(carry).hidden = chosenMatch() !== 'prefix';
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY);
    };

    form.addEventListener('input', update);
    form.addEventListener('change', update);
    wrapperOf(carry).hidden = chosenMatch() !== 'prefix';
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
