// The report form's map, fetched only when "Tampilkan peta" is pressed: portal.js loads this file
// (served after Leaflet in the same file, src/web/map.ts) and its stylesheet, then calls
// laporMap.toggle(). The latitude and longitude fields stay the source of truth: a tap on the map
// (or Enter, with the keyboard) writes them, and whatever writes them (typing, "Pakai lokasi
// saya") moves the marker. Without this file the fields work as they always did.
(() => {
  const L = globalThis.L;
  const doc = document;
  const en = doc.documentElement.lang === 'en';
  const say = (id, english) => (en ? english : id);
  const panel = doc.getElementById('f-map-panel');
  const button = doc.querySelector('button[data-map]');
  const box = doc.getElementById('f-map');
  const status = doc.getElementById('f-map-status');
  const lat = doc.getElementById('f-latitude');
  const lng = doc.getElementById('f-longitude');
  const form = panel?.closest('form');
  if (!L || !panel || !button || !box || !lat || !lng || !form) return;

  /** Indonesia, Sabang to Merauke and Miangas to Rote: the view when nothing is chosen yet. */
  const INDONESIA = [
    [-11.1, 94.9],
    [6.1, 141.1],
  ];
  /** Each province's capital (Kemendagri code → latitude, longitude): the view once a province is chosen. */
  const CAPITALS = {
    11: [5.55, 95.32],
    12: [3.59, 98.67],
    13: [-0.95, 100.35],
    14: [0.51, 101.45],
    15: [-1.61, 103.61],
    16: [-2.99, 104.76],
    17: [-3.8, 102.27],
    18: [-5.43, 105.26],
    19: [-2.13, 106.11],
    21: [0.92, 104.45],
    31: [-6.18, 106.83],
    32: [-6.91, 107.61],
    33: [-6.99, 110.42],
    34: [-7.8, 110.36],
    35: [-7.25, 112.75],
    36: [-6.12, 106.15],
    51: [-8.65, 115.22],
    52: [-8.58, 116.12],
    53: [-10.18, 123.61],
    61: [-0.03, 109.34],
    62: [-2.21, 113.92],
    63: [-3.44, 114.83],
    64: [-0.5, 117.15],
    65: [2.84, 117.37],
    71: [1.47, 124.84],
    72: [-0.9, 119.87],
    73: [-5.14, 119.42],
    74: [-3.97, 122.51],
    75: [0.54, 123.06],
    76: [-2.68, 118.89],
    81: [-3.7, 128.18],
    82: [0.74, 127.56],
    91: [-2.53, 140.72],
    92: [-0.86, 134.06],
    93: [-8.49, 140.4],
    94: [-3.37, 135.5],
    95: [-4.1, 138.94],
    96: [-0.88, 131.25],
  };

  /** A typed coordinate ("-0,0263" as Indonesians write it, or "-0.0263"), or null. */
  const parse = (text) => {
    const t = String(text).trim().replace(',', '.');
    return /^-?\d{1,3}(\.\d+)?$/.test(t) ? Number(t) : null;
  };
  /** The point in the fields, when both hold a coordinate. */
  const typed = () => {
    const a = parse(lat.value);
    const b = parse(lng.value);
    return a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? L.latLng(a, b) : null;
  };
  const capital = () => CAPITALS[form.elements.province?.value?.split('.')[0]] ?? null;
  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  let map = null;
  let marker = null;
  const pin = L.divIcon({ className: 'map-pin', html: '<span></span>', iconSize: [28, 28], iconAnchor: [14, 28] });
  const show = (point) => {
    if (marker) marker.setLatLng(point);
    else {
      // Not focusable: with the keyboard the fields (or Enter on the map) set the point.
      marker = L.marker(point, {
        icon: pin,
        keyboard: false,
        draggable: true,
        title: say('Titik lokasi kejadian', 'The place it happened'),
      });
      marker.on('dragend', () => write(marker.getLatLng()));
      marker.addTo(map);
    }
  };

  let writing = false;
  /** Writes a point into the fields (as typing would: the draft keeps it) and marks it. */
  const write = (point) => {
    const p = point.wrap();
    writing = true;
    lat.value = p.lat.toFixed(5);
    lng.value = p.lng.toFixed(5);
    for (const input of [lat, lng]) input.dispatchEvent(new Event('input', { bubbles: true }));
    writing = false;
    show(p);
    status.textContent = say(
      `Titik ditandai: lintang ${lat.value}, bujur ${lng.value}.`,
      `Point marked: latitude ${lat.value}, longitude ${lng.value}.`,
    );
  };

  /** The fields changed (typed, or "Pakai lokasi saya"): the marker follows. */
  const follow = () => {
    if (writing || !map) return;
    const point = typed();
    if (!point) return;
    show(point);
    map.setView(point, Math.max(map.getZoom(), 15));
  };

  const start = () => {
    map = L.map(box, { zoomControl: false, keyboard: true });
    L.control.zoom({ zoomInTitle: say('Perbesar', 'Zoom in'), zoomOutTitle: say('Perkecil', 'Zoom out') }).addTo(map);
    const d = panel.dataset;
    const credit = d.attributionUrl
      ? `<a href="${escapeHtml(d.attributionUrl)}">${escapeHtml(d.attribution)}</a>`
      : escapeHtml(d.attribution);
    // Only the site's origin goes with a tile request, never the page's address.
    L.tileLayer(d.tiles, { maxZoom: 19, attribution: credit, referrerPolicy: 'strict-origin' }).addTo(map);
    map.on('click', (event) => write(event.latlng));
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target === box) {
        event.preventDefault();
        write(map.getCenter());
      }
    });
    const point = typed();
    const place = capital();
    if (point) {
      map.setView(point, 16);
      show(point);
    } else if (place) map.setView(place, 10);
    else map.fitBounds(INDONESIA);
    for (const input of [lat, lng]) {
      input.addEventListener('input', follow);
      input.addEventListener('change', follow);
    }
    // A province chosen before any point: the map goes there.
    form.addEventListener('change', (event) => {
      if (event.target.matches?.('select[data-level="province"]') && !typed() && capital()) map.setView(capital(), 10);
    });
  };

  const toggle = () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    button.textContent = open ? say('Sembunyikan peta', 'Hide map') : say('Tampilkan peta', 'Show map');
    if (!open) return;
    if (map) {
      map.invalidateSize();
      follow();
    } else start();
  };
  globalThis.laporMap = { toggle };
})();
