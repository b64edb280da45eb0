const filterBox = document.getElementById("preview-filter");
const counter = document.getElementById("preview-count");
const cards = Array.from(document.querySelectorAll(".preview-card"));
const decks = Array.from(document.querySelectorAll(".preview-deck"));
function applyFilter() {
  const words = filterBox.value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const card of cards) {
    const text = card.dataset.search;
    const match = words.every((word) => text.includes(word));
    card.hidden = !match;
    if (match) shown += 1;
  }
  for (const deck of decks) {
    deck.hidden = !cards.some((card) => !card.hidden && card.dataset.deck === deck.dataset.deck);
  }
  counter.textContent = shown + " of " + cards.length + " cards";
}
filterBox.addEventListener("input", applyFilter);
document.getElementById("preview-night").addEventListener("click", () => {
  const night = document.body.classList.toggle("dark");
  for (const side of document.querySelectorAll(".card")) {
    side.classList.toggle("nightMode", night);
    side.classList.toggle("night_mode", night);
  }
});
applyFilter();
