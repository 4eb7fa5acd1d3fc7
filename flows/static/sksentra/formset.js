// "Tambah baris": append a blank row to a Django formset from its <template>.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".sk-add-row");
  if (!button) return;
  var prefix = button.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById(prefix + "-empty");
  var rows = document.querySelector('.sk-rows[data-prefix="' + prefix + '"]');
  var index = parseInt(total.value, 10);
  rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, index));
  total.value = index + 1;
});

// The proposal form: mark the documents the chosen legal form requires, as soon as it is chosen
// (each file input lists the forms that require it in data-wajib-untuk; the server checks the same).
(function () {
  var select = document.querySelector('select[name$="bentuk_hukum"]');
  if (!select) return;
  var hint = "wajib untuk bentuk ini";
  function mark() {
    document.querySelectorAll("input[data-wajib-untuk]").forEach(function (input) {
      var required = select.value && input.dataset.wajibUntuk.split(" ").indexOf(select.value) >= 0;
      var field = input.closest(".sk-field");
      var label = field.querySelector("label");
      var star = label.querySelector(".sk-req");
      if (required && !star) label.insertAdjacentHTML("beforeend", '<span class="sk-req"> *</span>');
      if (!required && star) star.remove();
      var help = field.querySelector(".sk-help");
      if (!help) { help = document.createElement("small"); help.className = "sk-help"; input.insertAdjacentElement("afterend", help); }
      if (required) help.textContent = hint;
      else if (help.textContent === hint) help.textContent = "";
    });
  }
  select.addEventListener("change", mark);
  mark();
})();
