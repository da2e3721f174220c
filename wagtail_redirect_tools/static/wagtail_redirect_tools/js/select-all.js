// A "select all" checkbox (data-wrt-select-all="FORM-ID") ticks or clears every row's
// checkbox of that form; it shows "mixed" when only some are ticked. Delegated from the
// document, so it keeps working after Wagtail refreshes the results (filters, sorting).
(function () {
    'use strict';

    function rowsOf(form) {
        return Array.from(document.querySelectorAll('input[type=checkbox][name=id][form="' + form + '"]'));
    }

    document.addEventListener('change', function (event) {
        var target = event.target;
        if (!(target instanceof HTMLInputElement)) {
            return;
        }
        var form = target.getAttribute('data-wrt-select-all');
        if (form) {
            rowsOf(form).forEach(function (box) {
                box.checked = target.checked;
            });
            return;
        }
        form = target.getAttribute('form');
        if (target.name !== 'id' || !form) {
            return;
        }
        var all = document.querySelector('[data-wrt-select-all="' + form + '"]');
        if (all) {
            var rows = rowsOf(form);
            var ticked = rows.filter(function (box) { return box.checked; }).length;
            all.checked = ticked === rows.length && ticked > 0;
            all.indeterminate = ticked > 0 && ticked < rows.length;
        }
    });
})();
