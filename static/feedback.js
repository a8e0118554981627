// Page feedback: sends the form in the background and thanks the reader on the page.
// Without this script the form is a plain POST to the site's feedback endpoint.
(function () {
  "use strict";
  var form = document.getElementById("page-feedback");
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var comment = form.querySelector(".feedback-comment");
  var no = form.querySelector('input[name="helpful"][value="no"]');
  var status = document.getElementById("feedback-status");
  var page = form.querySelector('input[name="page"]');
  // A site built without its public URL renders a path: the browser knows the full address.
  if (!/^https?:/.test(page.value)) page.value = location.href.split("#")[0];

  function showComment() { comment.hidden = !no.checked; }
  form.addEventListener("change", showComment);
  showComment();

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    if (!no.checked) body.delete("comment");
    // A simple form POST needs no CORS preflight; its answer stays opaque, which is enough.
    fetch(form.action, { method: "POST", body: body, mode: "no-cors", credentials: "omit" })
      .then(function () {
        form.hidden = true;
        status.textContent = form.getAttribute("data-thanks");
        status.focus();
      }, function () { form.submit(); });
  });
})();
