// The case page without a page load where JavaScript is there: the answer template fills the answer
// box in place (without JavaScript the picker is a GET form that reloads the page with it filled), and
// the map shows the place (without JavaScript: a link to it).
const picker = document.querySelector("[data-template-picker]");
if (picker) {
  const select = picker.querySelector("select");
  const answer = document.getElementById("id_resolve-message");
  picker.addEventListener("submit", (event) => {
    const option = select.options[select.selectedIndex];
    if (!answer || !option) return;
    event.preventDefault();
    answer.value = option.dataset.body;
    answer.focus();
  });
}

const box = document.querySelector("[data-case-map]");
if (box) {
  const script = document.createElement("script");
  script.src = box.dataset.script;
  script.onload = () => {
    const L = window.L;
    const point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    L.Icon.Default.imagePath = box.dataset.images;
    box.classList.add("vt-map--live");
    const map = L.map(box).setView(point, 17);
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    L.marker(point).addTo(map);
    L.circle(point, { radius: 200, weight: 1, fill: false }).addTo(map);
  };
  document.head.appendChild(script);
}
