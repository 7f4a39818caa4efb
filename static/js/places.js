// The commune/ward <select> of a place form follows its province <select>.
// Without this script the form still works: the server checks the pair and shows the list of
// the province that was chosen. One small JSON document per province, cached by the browser.
(function () {
  "use strict";
  function refill(select, code) {
    var first = new Option(select.dataset.first, "");
    if (!code) {
      select.replaceChildren(first);
      return;
    }
    var url = select.dataset.communesUrl.replace("/0/", "/" + encodeURIComponent(code) + "/");
    select.disabled = true;
    fetch(url, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var options = [first];
        data.communes.forEach(function (c) {
          options.push(new Option(c.name, String(c.code)));
        });
        select.replaceChildren.apply(select, options);
      })
      .catch(function () { /* keep the old list: the server will say what is wrong */ })
      .finally(function () { select.disabled = false; });
  }
  document.querySelectorAll("select[data-province]").forEach(function (select) {
    var province = document.getElementById(select.dataset.province);
    if (!province) return;
    province.addEventListener("change", function () { refill(select, province.value); });
  });
})();
