/* The progress of an import job: polls its progress URL every second, shows the
   percentage and the server's sentence, and reloads the page when the job is done. */
(function () {
  const section = document.querySelector("[data-import-progress]");
  if (!section) {
    return;
  }
  const bar = section.querySelector("progress");
  const text = section.querySelector("[data-progress-text]");

  async function poll() {
    try {
      const response = await fetch(section.dataset.progressUrl, { credentials: "same-origin" });
      const state = await response.json();
      if (state.finished) {
        window.location.reload();
        return;
      }
      bar.value = state.percent;
      text.textContent = state.text;
    } catch (error) {
      /* A failed poll is tried again on the next tick. */
    }
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 1000);
})();
