// The test-set confusion matrix as a 10x10 table of counts (row = true digit, column = the
// network's answer), shaded by the share of the row: green on the diagonal, red off it.
// Not computed here: the worker sends the counts after each epoch.

export class ConfusionMatrix {
  constructor(table) {
    this.cells = [];
    const head = table.createTHead().insertRow();
    const corner = document.createElement('th');
    corner.textContent = 'true \\ net';
    head.append(corner);
    for (let c = 0; c < 10; c++) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = String(c);
      head.append(th);
    }
    const body = table.createTBody();
    for (let r = 0; r < 10; r++) {
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(r);
      row.append(th);
      for (let c = 0; c < 10; c++) {
        const td = row.insertCell();
        td.textContent = '·';
        this.cells.push(td);
      }
    }
  }

  // counts: 100 numbers, row-major, row = true digit.
  draw(counts) {
    for (let r = 0; r < 10; r++) {
      let total = 0;
      for (let c = 0; c < 10; c++) total += counts[r * 10 + c];
      for (let c = 0; c < 10; c++) {
        const n = counts[r * 10 + c], td = this.cells[r * 10 + c];
        const share = total ? n / total : 0;
        // Off the diagonal a few percent is already worth seeing; stretch it.
        const alpha = r === c ? share : Math.min(1, 4 * share);
        td.textContent = String(n);
        td.style.backgroundColor = r === c
          ? `rgba(47, 158, 68, ${alpha.toFixed(3)})` : `rgba(201, 42, 42, ${alpha.toFixed(3)})`;
        td.style.color = alpha > 0.55 ? '#fff' : '';
        td.title = `true ${r}, answered ${c}: ${n} of ${total}`;
      }
    }
  }

  clear() {
    for (const td of this.cells) {
      td.textContent = '·';
      td.style.backgroundColor = '';
      td.style.color = '';
      td.title = '';
    }
  }
}
