// The "New protocol" page: the library exercises ticked go into the protocol in the order
// they were ticked, which is the order a therapist thinks of the programme in (the page lists
// them by name). Each ticked box shows its place; without this script the browser sends them
// in the page's order, and the form still moves them.
"use strict";

(function () {
  const form = document.querySelector("form[action='/new']");
  const boxes = Array.from(document.querySelectorAll("#exercises input[name='exercise']"));
  if (!form || !boxes.length) return;
  // Ticked when the page came back (an error to correct): in the page's order.
  let order = boxes.filter((box) => box.checked);

  function show() {
    for (const box of boxes) {
      const place = box.parentNode.querySelector(".pk-place");
      const at = order.indexOf(box);
      place.textContent = at < 0 ? "" : `number ${at + 1} in the programme`;
    }
  }
  for (const box of boxes) {
    const place = document.createElement("span");
    place.className = "pk-place";
    box.parentNode.appendChild(place);
    box.addEventListener("change", () => {
      order = order.filter((other) => other !== box);
      if (box.checked) order.push(box);
      show();
    });
  }
  // Back from the form (the page kept in the browser's memory): the boxes named again.
  window.addEventListener("pageshow", () => {
    for (const field of form.querySelectorAll("input[type='hidden'][name='exercise']")) field.remove();
    for (const box of boxes) box.name = "exercise";
  });
  form.addEventListener("submit", () => {
    // The ticks sent in the order ticked: hidden fields in their place, the boxes unnamed.
    for (const box of order) {
      const field = document.createElement("input");
      field.type = "hidden";
      field.name = "exercise";
      field.value = box.value;
      form.appendChild(field);
    }
    for (const box of boxes) box.removeAttribute("name");
  });
  show();
})();
