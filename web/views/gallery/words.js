// The gallery's sentences and the short class names of the confusion matrix's column heads, kept
// apart from the DOM so they read together. Pure functions of what they are given; no state.

import { count as COUNT } from '../status.js';   // the page's one way to write a count

// Column heads have room for about five characters; the full name stays in title/aria-label.
const SHORT = {
  'T-shirt/top': 'Top', Trouser: 'Trou.', Pullover: 'Pull.', Dress: 'Dress', Coat: 'Coat',
  Sandal: 'Sand.', Shirt: 'Shirt', Sneaker: 'Snkr.', Bag: 'Bag', 'Ankle boot': 'Boot',
};
export const shortName = name => SHORT[name] || (name.length > 6 ? `${name.slice(0, 5)}.` : name);

// What the number beside each image is: a softmax output is a probability, a sigmoid's is not
// (the ten need not sum to 1).
export const confidenceWord = cost => (cost === 'log-likelihood' ? 'probability' : 'output');

// Why there is nothing to show (null: there is something).
export function emptyText({ run, truthTable, epochs, mistakes }) {
  if (truthTable) return 'A truth table has no test images: pick an MNIST or Fashion-MNIST network.';
  if (!run) return 'No network yet: once one is built and has trained an epoch, every test image ' +
    'it gets wrong appears here, the most confident mistakes first.';
  if (!mistakes) {
    return epochs ? 'The mistakes of this run are not known yet: they come with the next epoch.'
      : 'No epoch yet: after each epoch, every test image the network gets wrong appears here, ' +
        'the most confident mistakes first. Press Start.';
  }
  return null;
}

// "412 of 10,000 test images are wrong after epoch 3."
export function countText(count, total, epochs) {
  const when = epochs ? `after epoch ${epochs}` : 'before training (the network as loaded)';
  if (!count) return `The network gets all ${COUNT(total)} test images right ${when}.`;
  return `${COUNT(count)} of ${COUNT(total)} test images ${count === 1 ? 'is' : 'are'} wrong ${when}.`;
}

// The filter in force: "All 412, the most confident first." / "True 4 read as 9: 23 images."
export function filterText(filter, shown, names) {
  if (!filter) return `Showing all ${COUNT(shown)}, the most confident mistakes first.`;
  const pair = `true ${names[filter.true]} read as ${names[filter.predicted]}`;
  if (!shown) return `No test image is ${pair}. Pick another cell, or show all.`;
  return `Showing ${COUNT(shown)} ${shown === 1 ? 'image' : 'images'}: ${pair}, the most confident first.`;
}

// "101–200 of 412" for a page of the list.
export const pageText = (from, to, total) => (total ? `${COUNT(from + 1)}–${COUNT(to)} of ${COUNT(total)}` : '');

// The note under the confusion matrix after a click on one of its cells.
export function pickText(pick, count, names) {
  const r = names[pick.true], c = names[pick.predicted];
  if (pick.true === pick.predicted) {
    return `${COUNT(count)} test images of ${r} are answered ${c}: these are the right answers, ` +
      'nothing to filter (the gallery shows mistakes only).';
  }
  return count ? `The gallery shows the ${COUNT(count)} test images of ${r} read as ${c}.`
    : `No test image of ${r} is read as ${c}.`;
}

// One image's description for a screen reader and its title.
export function itemLabel(index, label, predicted, confidence, names, word) {
  return `Test image ${index}: ${names[label]}, read as ${names[predicted]} (${word} ` +
    `${confidence.toFixed(2)}). Enter: its ten outputs and the backprop inspector.`;
}
