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
