// A form's error summary (shared/error_summary.html) takes focus when the page loads, so a
// screen reader reads what is wrong first and the keyboard starts there.
(function () {
    'use strict';

    function focusSummary() {
        var summary = document.querySelector('[data-wrt-error-summary]');
        if (summary) {
            summary.focus();
        }
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', focusSummary);
    } else {
        focusSummary();
    }
})();
