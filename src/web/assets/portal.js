// The portal's island: live region lists, photo previews with a size check, a draft of the report
// kept in IndexedDB (photos included), and a report sent while offline queued until the connection
// returns. Every page works without it (src/web/report-form.routes.ts): each part only adds to the
// plain form, and where something fails the form is left to do its own job.
(() => {
  const doc = document;
  const en = doc.documentElement.lang === 'en';
  const say = (id, english) => (en ? english : id);
  const langQuery = en ? '?lang=en' : '';
  const main = doc.querySelector('main') ?? doc.body;
  const LEVELS = ['province', 'regency', 'district', 'village'];
  const LEVEL_WORDS = {
    regency: say('Kabupaten/kota', 'Regency/city'),
    district: say('Kecamatan', 'District'),
    village: say('Kelurahan/desa', 'Village'),
  };
  const FIELDS = ['classification', 'title', 'body', 'incidentDate', ...LEVELS, 'categoryId', 'suggestedBodyId', 'latitude', 'longitude'];
  const OFFLINE = say(
    'Tidak ada koneksi: laporan tersimpan dan akan dikirim otomatis saat tersambung.',
    'No connection: your report is saved and will be sent when you are back online.',
  );
  const who = doc.querySelector('header .who')?.textContent.trim() ?? '';

  const make = (tag, props, children = []) => {
    const el = Object.assign(doc.createElement(tag), props);
    el.append(...children);
    return el;
  };
  /** The half of a bilingual server message ("Wajib diisi / Required") in the page's language. */
  const half = (message) => {
    const at = String(message).indexOf(' / ');
    return at < 0 ? String(message) : en ? message.slice(at + 3) : message.slice(0, at);
  };
  const number = new Intl.NumberFormat(en ? 'en-GB' : 'id-ID', { maximumFractionDigits: 1 });
  const size = (n) => (n < 1048576 ? `${number.format(Math.ceil(n / 1024))} KB` : `${number.format(n / 1048576)} MB`);
  const debounce = (fn, ms) => {
    let timer;
    return () => {
      clearTimeout(timer);
      timer = setTimeout(fn, ms);
    };
  };

  // --- Saying things: a polite live region for list changes, one notice at the top of the page.
  const live = make('p', { className: 'visually-hidden' });
  live.setAttribute('aria-live', 'polite');
  main.append(live);
  const announce = (text) => {
    live.textContent = '';
    setTimeout(() => {
      live.textContent = text;
    }, 100);
  };
  let box = null;
  const tell = (text, kind = 'notice', extra = []) => {
    box?.remove();
    box = make('div', { className: kind, id: 'draft-notice' }, [text, ...extra]);
    box.setAttribute('role', kind === 'alert' ? 'alert' : 'status');
    main.prepend(box);
  };

  // --- The draft: one record in IndexedDB, written through one queue so that saves never cross.
  const store = (mode, work) =>
    new Promise((resolve, reject) => {
      const open = indexedDB.open('lapor', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('drafts');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction('drafts', mode);
        const request = work(tx.objectStore('drafts'));
        tx.oncomplete = () => {
          db.close();
          resolve(request.result);
        };
        const fail = () => {
          db.close();
          reject(tx.error);
        };
        tx.onerror = fail;
        tx.onabort = fail;
      };
    });
  /** The draft of the citizen signed in here: another account's draft on a shared phone stays unseen. */
  const getDraft = () => store('readonly', (s) => s.get('report')).then((d) => (d && d.owner === who ? d : null));
  const dropDraft = () => store('readwrite', (s) => s.delete('report'));
  let queue = Promise.resolve();
  const update = (change) => {
    const done = queue.then(async () => {
      const draft = (await getDraft()) ?? {
        owner: who,
        files: [],
        key: crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`,
        fields: {},
      };
      Object.assign(draft, change, { savedAt: Date.now() });
      await store('readwrite', (s) => s.put(draft, 'report'));
      return draft;
    });
    queue = done.catch(() => null);
    return done;
  };
  const fieldsOf = (form) => {
    const data = new FormData(form);
    const fields = {};
    for (const name of FIELDS) fields[name] = String(data.get(name) ?? '');
    fields.anonymous = data.get('anonymous') === 'true';
    fields.secret = data.get('secret') === 'true';
    return fields;
  };

  // --- Sending a kept report to the API (the same fields as the JSON body).
  let sending = false;
  const sendDraft = async () => {
    if (sending || !who) return;
    const draft = await getDraft().catch(() => null);
    if (!draft?.pending) return;
    if (!navigator.onLine) return tell(OFFLINE);
    sending = true;
    tell(say('Mengirim laporan yang tersimpan…', 'Sending your saved report…'));
    try {
      const f = draft.fields;
      const data = new FormData();
      for (const name of ['classification', 'title', 'body', 'incidentDate', 'categoryId', 'suggestedBodyId']) {
        if (f[name]) data.set(name, f[name]);
      }
      const region = f.village || f.district || f.regency || f.province;
      if (region) data.set('regionCode', region);
      // typed with a comma, as Indonesians write decimals; the API takes a dot
      if (f.latitude && f.longitude) {
        data.set('latitude', f.latitude.replace(',', '.'));
        data.set('longitude', f.longitude.replace(',', '.'));
      }
      data.set('anonymous', String(Boolean(f.anonymous)));
      data.set('secret', String(Boolean(f.secret)));
      data.set('channel', 'web');
      for (const file of draft.files) data.append('attachments', file, file.name);
      let response;
      try {
        response = await fetch('/api/v1/reports', {
          method: 'POST',
          body: data,
          credentials: 'same-origin',
          // A retry after a lost answer files nothing twice.
          headers: { 'Idempotency-Key': `draft-${draft.key}` },
        });
      } catch {
        return tell(OFFLINE);
      }
      const body = await response.json().catch(() => null);
      if (response.status === 201 && body?.trackingId) {
        await dropDraft();
        location.assign(`/laporan/${encodeURIComponent(body.trackingId)}?terkirim=1${en ? '&lang=en' : ''}`);
        return;
      }
      if (response.status === 401) {
        const link = make('a', { href: `/masuk?next=${encodeURIComponent(`/lapor${langQuery}`)}`, textContent: say('Masuk', 'Sign in') });
        return tell(
          say(
            'Sesi Anda telah berakhir; laporan tetap tersimpan di perangkat ini. ',
            'Your session has ended; the report is still kept on this device. ',
          ),
          'alert',
          [link],
        );
      }
      if (response.status === 429 || response.status >= 500) {
        return tell(
          say(
            'Server sedang sibuk; laporan tetap tersimpan dan dicoba lagi nanti.',
            'The server is busy; the report is kept and tried again later.',
          ),
          'alert',
        );
      }
      // Refused: back to the form with the errors by their fields; the draft stays.
      const fields = body?.error?.fields;
      const errors = fields && Object.keys(fields).length > 0 ? fields : { _: body?.error?.message ?? `HTTP ${response.status}` };
      await update({ pending: false, errors });
      location.assign(`/lapor${langQuery}`);
    } finally {
      sending = false;
    }
  };
  const queueAndSend = async (change) => {
    await update({ ...change, pending: true, errors: null });
    if (navigator.onLine) await sendDraft();
    else tell(OFFLINE);
  };
  addEventListener('online', () => sendDraft());

  // --- Errors by their fields (an answer of the API, kept with the draft).
  const setError = (control, message) => {
    const field = control.closest('.field');
    const id = `${control.id}-error`;
    doc.getElementById(id)?.remove();
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== id);
    if (message) {
      const error = make('span', { className: 'error', id, textContent: message });
      control.before(error);
      described.push(id);
      control.setAttribute('aria-invalid', 'true');
    } else control.removeAttribute('aria-invalid');
    field?.classList.toggle('invalid', Boolean(message));
    if (described.length > 0) control.setAttribute('aria-describedby', described.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  const showErrors = (form, errors) => {
    const general = [];
    let first = null;
    for (const [name, message] of Object.entries(errors)) {
      const control = form.elements[name === 'regionCode' ? 'province' : name];
      if (control instanceof HTMLElement && control.id && control.closest('.field')) {
        setError(control, half(message));
        first ??= control;
      } else general.push(half(message));
    }
    if (general.length > 0) {
      const alert = make('p', { className: 'alert', textContent: general.join(' ') });
      alert.setAttribute('role', 'alert');
      form.before(alert);
    }
    first?.focus();
  };

  // --- Photos: previews and the size check, on the review step (and the offline review).
  const enhanceFiles = (input, save) => {
    const max = Number(input.dataset.maxBytes) || Number.POSITIVE_INFINITY;
    const list = make('ul', { className: 'previews' });
    input.after(list);
    let urls = [];
    let tooBig = [];
    const render = () => {
      for (const url of urls) URL.revokeObjectURL(url);
      urls = [];
      list.replaceChildren();
      const files = [...input.files];
      tooBig = files.filter((f) => f.size > max);
      for (const file of files) {
        const item = make('li', { className: file.size > max ? 'too-big' : '' });
        if (file.type.startsWith('image/')) {
          const url = URL.createObjectURL(file);
          urls.push(url);
          item.append(make('img', { src: url, alt: '' }));
        }
        item.append(`${file.name} (${size(file.size)})`);
        list.append(item);
      }
      const names = tooBig.map((f) => `${f.name} (${size(f.size)})`).join(', ');
      setError(
        input,
        tooBig.length > 0
          ? say(
              `Terlalu besar: ${names}. Paling besar ${size(max)} per berkas; pilih berkas lain.`,
              `Too large: ${names}. At most ${size(max)} a file; choose another.`,
            )
          : '',
      );
      return files.filter((f) => f.size <= max);
    };
    input.addEventListener('change', () => {
      const good = render();
      save(good).catch(() => null);
    });
    // Files chosen before this script ran (a slow phone) are kept too.
    const initial = render();
    if (input.files.length > 0) save(initial).catch(() => null);
    /** Whether the files may be sent; if not, the citizen is taken to the field. */
    return () => {
      if (tooBig.length === 0) return true;
      input.focus();
      return false;
    };
  };

  // --- Step 1: live region lists, the list of bodies for the chosen places, the draft.
  const enhanceForm = async (form) => {
    const refresh = form.querySelector('button[data-refresh]');
    if (refresh) refresh.hidden = true;
    const select = (level) => form.querySelector(`select[data-level="${level}"]`);
    /** Replaces the levels under `from` with the list of places inside the one chosen. */
    const levelChanged = async (from) => {
      const at = LEVELS.indexOf(from.dataset.level);
      for (const level of LEVELS.slice(at + 1)) select(level)?.closest('.field')?.remove();
      const next = LEVELS[at + 1];
      const code = from.value;
      if (!next || !code) return;
      const response = await fetch(`/api/v1/regions?parent=${encodeURIComponent(code)}`, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(`regions: HTTP ${response.status}`);
      const rows = await response.json();
      if (rows.length === 0 || from.value !== code || !from.isConnected) return;
      const list = make('select', { id: `f-${next}`, name: next }, [
        make('option', { value: '', textContent: say('— pilih —', '— choose —') }),
        ...rows.map((r) => make('option', { value: r.code, textContent: r.name })),
      ]);
      list.dataset.level = next;
      from
        .closest('.field')
        .after(make('div', { className: 'field' }, [make('label', { htmlFor: list.id, textContent: LEVEL_WORDS[next] }), list]));
      announce(say(`Pilihan ${LEVEL_WORDS[next]} tersedia: ${rows.length}.`, `${LEVEL_WORDS[next]} choices available: ${rows.length}.`));
    };
    // The governments of the chosen province and regency head the list of bodies, as the server puts them.
    const bodies = form.elements.suggestedBodyId;
    let regional = new Set();
    const bodiesFor = async () => {
      const codes = ['regency', 'province'].map((l) => select(l)?.value).filter(Boolean);
      const lists = await Promise.all(
        codes.map((code) => fetch(`/api/v1/bodies?regionCode=${encodeURIComponent(code)}&limit=20`).then((r) => (r.ok ? r.json() : []))),
      );
      return lists.flat().filter((b) => b.kind !== 'unit' && b.kind !== 'ombudsman');
    };
    const refreshBodies = async () => {
      if (!bodies) return;
      const found = await bodiesFor();
      const chosen = bodies.value;
      for (const option of [...bodies.options]) if (regional.has(option.value)) option.remove();
      regional = new Set(found.map((b) => String(b.id)));
      const before = bodies.options[1] ?? null;
      for (const b of found) bodies.add(make('option', { value: String(b.id), textContent: b.name }), before);
      bodies.value = [...bodies.options].some((o) => o.value === chosen) ? chosen : '';
    };
    const restore = async (draft) => {
      const f = draft.fields ?? {};
      const el = form.elements;
      for (const name of ['title', 'body', 'incidentDate']) if (f[name] && el[name]) el[name].value = f[name];
      for (const radio of form.querySelectorAll('input[name="classification"]')) radio.checked = radio.value === f.classification;
      if (el.anonymous) el.anonymous.checked = Boolean(f.anonymous);
      if (el.secret) el.secret.checked = Boolean(f.secret);
      if (el.categoryId) el.categoryId.value = f.categoryId ?? '';
      for (const level of LEVELS) {
        const list = select(level);
        if (!list || !f[level] || ![...list.options].some((o) => o.value === f[level])) break;
        list.value = f[level];
        await levelChanged(list);
      }
      await refreshBodies();
      if (bodies && [...bodies.options].some((o) => o.value === f.suggestedBodyId)) bodies.value = f.suggestedBodyId;
    };

    const save = debounce(() => update({ fields: fieldsOf(form), step: 'form' }).catch(() => null), 400);
    form.addEventListener('input', save);
    form.addEventListener('change', (event) => {
      const target = event.target;
      if (target.matches('select[data-level]')) {
        levelChanged(target)
          .then(() => (['province', 'regency'].includes(target.dataset.level) ? refreshBodies() : null))
          .catch(() => {
            // No list came: the plain button asks the server instead.
            if (refresh && navigator.onLine) refresh.hidden = false;
          })
          .finally(save);
      } else save();
    });
    let passing = false;
    form.addEventListener('submit', (event) => {
      if (passing || event.submitter?.value !== 'periksa') return;
      event.preventDefault();
      const saved = update({ fields: fieldsOf(form), step: navigator.onLine ? 'form' : 'review' }).catch(() => null);
      if (!navigator.onLine) {
        saved.then(() => offlineReview(form));
        return;
      }
      // Online: the server checks it and shows the review; the draft is written first.
      Promise.race([saved, new Promise((r) => setTimeout(r, 800))]).then(() => {
        passing = true;
        form.requestSubmit(event.submitter);
        passing = false;
      });
    });

    // The draft last: without IndexedDB the lists above still work.
    try {
      if (select('province')?.value) regional = new Set((await bodiesFor().catch(() => [])).map((b) => String(b.id)));
      const draft = await getDraft();
      const blank = !form.elements.title.value && !form.elements.body.value;
      if (draft && blank) {
        await restore(draft);
        const photos = draft.files.length;
        const discard = make('button', { type: 'button', className: 'secondary', textContent: say('Buang draf', 'Discard the draft') });
        discard.addEventListener('click', async () => {
          await dropDraft();
          location.assign(`/lapor${langQuery}`);
        });
        const words = photos > 0 ? say(` (dengan ${photos} lampiran)`, ` (with ${photos} attachment${photos > 1 ? 's' : ''})`) : '';
        tell(draft.pending ? OFFLINE : `${say('Draf dipulihkan', 'Draft restored')}${words}. `, 'notice', [discard]);
        await update({ fields: fieldsOf(form), step: 'form' });
      } else if (!blank) await update({ fields: fieldsOf(form), step: 'form' });
      if (draft?.errors) {
        showErrors(form, draft.errors);
        await update({ errors: null });
      }
    } catch {
      // no draft here: the form as the server sent it
    }
  };

  /** The review step made here, for a report written with no connection: it is checked when it is sent. */
  const offlineReview = async (form) => {
    const draft = await getDraft().catch(() => null);
    const f = fieldsOf(form);
    const picked = (name) => {
      const el = form.elements[name];
      return el?.value ? el.selectedOptions[0].textContent : '';
    };
    const radio = form.querySelector('input[name="classification"]:checked');
    const facts = make('dl', { className: 'facts' });
    for (const [term, value] of [
      [say('Klasifikasi', 'Classification'), radio ? form.querySelector(`label[for="${radio.id}"]`).textContent : ''],
      [say('Judul', 'Title'), f.title],
      [say('Tanggal kejadian', 'Date of the incident'), f.incidentDate],
      [
        say('Lokasi', 'Location'),
        ['village', 'district', 'regency', 'province'].map(picked).find(Boolean) ?? say('(tidak diisi)', '(not given)'),
      ],
    ]) {
      facts.append(make('dt', { textContent: term }), make('dd', { textContent: value }));
    }
    const max = Number(form.dataset.maxBytes);
    const hint = make('span', {
      className: 'hint',
      id: 'f-attachments-hint',
      textContent: say(
        `JPEG, PNG, PDF atau dokumen Office, masing-masing paling besar ${size(max)}.`,
        `JPEG, PNG, PDF or Office documents, each at most ${size(max)}.`,
      ),
    });
    const input = make('input', {
      id: 'f-attachments',
      name: 'attachments',
      type: 'file',
      multiple: true,
      accept: 'image/jpeg,image/png,image/webp,application/pdf,.doc,.docx,.xls,.xlsx,.odt',
    });
    input.dataset.maxBytes = String(max);
    input.setAttribute('aria-describedby', hint.id);
    if (draft?.files.length) {
      const kept = new DataTransfer();
      for (const file of draft.files) kept.items.add(file);
      input.files = kept.files;
    }
    const back = make('button', { type: 'button', className: 'secondary', textContent: say('Ubah laporan', 'Change the report') });
    const send = make('form', { className: 'stack', noValidate: true }, [
      make('div', { className: 'field' }, [
        make('label', {
          htmlFor: input.id,
          textContent: say('Foto atau dokumen (boleh lebih dari satu)', 'Photos or documents (more than one is fine)'),
        }),
        hint,
        input,
      ]),
      make('div', { className: 'actions' }, [
        make('button', { type: 'submit', textContent: say('Kirim laporan', 'Send the report') }),
        ' ',
        back,
      ]),
    ]);
    const title = make('h2', { id: 'offline-review', tabIndex: -1, textContent: say('Periksa laporan', 'Review your report') });
    const section = make('section', {}, [
      title,
      make('p', {
        className: 'meta',
        textContent: say(
          'Anda sedang luring: laporan diperiksa server saat dikirim.',
          'You are offline: the server checks the report when it is sent.',
        ),
      }),
      facts,
      make('p', { className: 'message', textContent: f.body }),
      send,
    ]);
    section.setAttribute('aria-labelledby', title.id);
    const filesOk = enhanceFiles(input, (files) => update({ files }));
    back.addEventListener('click', () => {
      section.remove();
      form.hidden = false;
      form.elements.title.focus();
    });
    send.addEventListener('submit', (event) => {
      event.preventDefault();
      if (filesOk()) queueAndSend({ fields: f, step: 'review', files: [...input.files] }).catch(() => tell(OFFLINE));
    });
    form.hidden = true;
    form.after(section);
    title.focus();
  };

  // --- Step 2, as the server showed it: the photos kept in the draft come back, the report goes to the API.
  const enhanceReview = async (input) => {
    const form = input.form;
    let filesOk = () => true;
    let passing = false;
    form.addEventListener('submit', (event) => {
      if (passing) return;
      if (event.submitter?.value !== 'kirim') {
        // Back to the form: the photos wait in the draft, not in the post.
        input.value = '';
        return;
      }
      event.preventDefault();
      if (!filesOk()) return;
      queueAndSend({ fields: fieldsOf(form), files: [...input.files] }).catch(() => {
        // No IndexedDB here: the plain form sends it.
        passing = true;
        form.requestSubmit(event.submitter);
        passing = false;
      });
    });
    // Previews and the size check first, so a photo chosen while the draft loads is not missed.
    filesOk = enhanceFiles(input, (files) => update({ files }));
    const draft = await update({ fields: fieldsOf(form), step: 'review' });
    if (draft.files.length > 0 && input.files.length === 0) {
      const kept = new DataTransfer();
      for (const file of draft.files) kept.items.add(file);
      input.files = kept.files;
      // the same path as a choice: previews, the size check, and the draft saved
      input.dispatchEvent(new Event('change'));
      tell(say(`Draf dipulihkan: ${draft.files.length} lampiran.`, `Draft restored: ${draft.files.length} attachment(s).`));
    }
  };

  const form = doc.getElementById('report-form');
  const review = doc.querySelector('form input[type="file"][data-max-bytes]');
  const started = form ? enhanceForm(form) : review ? enhanceReview(review) : Promise.resolve();
  started
    .catch(() => {
      // The plain form stands as the server sent it.
      const refresh = form?.querySelector('button[data-refresh]');
      if (refresh) refresh.hidden = false;
    })
    .then(() => (navigator.onLine ? sendDraft() : getDraft().then((d) => d?.pending && tell(OFFLINE))))
    .catch(() => null);
  // "Use my location" fills the plain coordinate fields; without the script they are typed.
  const locate = doc.querySelector('button[data-geolocate]');
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener('click', () => {
      tell(say('Mencari lokasi Anda…', 'Finding your location…'));
      navigator.geolocation.getCurrentPosition(
        ({ coords }) => {
          const put = (id, value) => {
            const input = doc.getElementById(id);
            if (!input) return;
            input.value = value.toFixed(5);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          };
          put('f-latitude', coords.latitude);
          put('f-longitude', coords.longitude);
          tell(say('Koordinat lokasi Anda terisi.', 'Your location’s coordinates are filled in.'));
        },
        () =>
          tell(
            say(
              'Lokasi tidak dapat dibaca; isi koordinat sendiri atau kosongkan.',
              'Your location could not be read; type the coordinates or leave them empty.',
            ),
          ),
        { enableHighAccuracy: true, timeout: 15000 },
      );
    });
  }
  // "Tampilkan peta": the map (Leaflet and the form's map code, and their stylesheet) is fetched
  // only when asked for, never with the page; its tiles likewise (src/web/map.ts).
  const mapButton = doc.querySelector('button[data-map]');
  if (mapButton) {
    mapButton.hidden = false;
    doc.getElementById('f-map-note')?.removeAttribute('hidden');
    let loading = false;
    const load = (el) =>
      new Promise((resolve, reject) => {
        el.onload = resolve;
        el.onerror = reject;
        doc.head.append(el);
      });
    mapButton.addEventListener('click', () => {
      if (globalThis.laporMap) return globalThis.laporMap.toggle();
      if (loading) return;
      loading = true;
      Promise.all([
        load(make('link', { rel: 'stylesheet', href: mapButton.dataset.css })),
        load(make('script', { src: mapButton.dataset.js })),
      ])
        .then(() => globalThis.laporMap.toggle())
        .catch(() => {
          loading = false;
          tell(
            say(
              'Peta tidak dapat dimuat; isi lintang dan bujur di kolomnya, atau kosongkan.',
              'The map could not be loaded; type the latitude and longitude, or leave them empty.',
            ),
            'alert',
          );
        });
    });
  }
  // The reset link carries its code in the fragment, which no server sees: it goes into the form here.
  const code = /[#&]token=([A-Za-z0-9_-]{20,100})/.exec(location.hash)?.[1];
  const codeField = doc.getElementById('f-token');
  if (code && codeField && !codeField.value) {
    codeField.value = code;
    history.replaceState(null, '', location.pathname + location.search);
  }
  if ((form || review) && 'serviceWorker' in navigator) navigator.serviceWorker.register('/sw.js').catch(() => null);
  // A shared phone: the pages kept for the form go with the account.
  doc.querySelector('form.signout')?.addEventListener('submit', () => {
    globalThis.caches?.keys().then((keys) => {
      for (const key of keys) if (key.startsWith('lapor-')) caches.delete(key);
    });
  });
})();
