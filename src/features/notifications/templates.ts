/**
 * What each outbox template says, in Bahasa Indonesia first and English second. The same text
 * serves the in-app notification (title, body) and the email (subject, text).
 *
 * The payload comes from a jsonb column written by another process, possibly by an older or newer
 * version of the code, so nothing here trusts its shape: a missing field reads as a placeholder and
 * an unknown template as a generic notice. Rendering never throws, because a message that cannot be
 * rendered would otherwise be retried until it fails, and the person would hear nothing at all.
 */

import type { ClockKind } from '../../domain/sla.ts';
import { fitSegments, toGsmFriendly } from '../../domain/sms.ts';

export interface RenderedMessage {
  title: string;
  body: string;
}

/**
 * Clock names as they read mid-sentence ("Batas waktu tindak lanjut pertama laporan …"); the
 * labels shown on their own are CLOCK_LABELS in domain/sla.ts. Typed by ClockKind, so a new clock
 * cannot go unnamed in messages.
 */
const CLOCK_NAMES: Record<ClockKind, { id: string; en: string }> = {
  verification: { id: 'verifikasi', en: 'verification' },
  first_follow_up: { id: 'tindak lanjut pertama', en: 'first follow-up' },
  resolution: { id: 'penyelesaian', en: 'resolution' },
  reply_window: { id: 'tanggapan pelapor', en: 'reporter’s reply' },
  completion: { id: 'kelengkapan laporan', en: 'report completion' },
  ombudsman: { id: 'Ombudsman', en: 'Ombudsman' },
};

const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Indonesia's three zones go by their Indonesian abbreviations in both languages, as on any
// government notice; other zones (a body abroad, a test) fall back to the UTC offset.
const ZONE_LABELS: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};
const OFFSET_LABELS: Record<number, string> = { 420: 'WIB', 480: 'WITA', 540: 'WIT' };

export function renderMessage(template: string, payload: Record<string, unknown>): RenderedMessage {
  const p: Record<string, unknown> = payload !== null && typeof payload === 'object' ? payload : {};
  try {
    const render = TEMPLATES[template];
    if (render) return clean(linked(p, render(p)));
  } catch {
    // fall through to the generic message: a malformed payload must not stop delivery
  }
  return clean(renderGeneric(template, p));
}

type Render = (p: Record<string, unknown>) => RenderedMessage;

const TEMPLATES: Record<string, Render> = {
  // A channel's own answer to a message (an email too short to be a report, say): said as written.
  'email.reply': (p) => ({ title: textOf(p.subject) ?? 'LAPOR!', body: textOf(p.text) ?? '' }),
  'deadline.reminder': (p) => {
    const { tracking, subject, clock, due } = deadlineParts(p);
    return {
      title:
        `Pengingat batas waktu: ${clock.id} laporan ${tracking} jatuh tempo ${due.id} / ` +
        `Deadline reminder: ${clock.en} of report ${tracking} due ${due.en}`,
      body:
        `Batas waktu ${clock.id} laporan ${tracking}${subject} jatuh tempo ${due.id}. ` +
        `Mohon ditindaklanjuti sebelum batas waktu berakhir.\n\n` +
        `The ${clock.en} deadline of report ${tracking}${subject} is ${due.en}. ` +
        `Please act before it passes.`,
    };
  },
  'deadline.missed': (p) => {
    const { tracking, subject, clock, due } = deadlineParts(p);
    return {
      title:
        `Batas waktu terlewati: ${clock.id} laporan ${tracking} (jatuh tempo ${due.id}) / ` +
        `Deadline missed: ${clock.en} of report ${tracking} (due ${due.en})`,
      body:
        `Batas waktu ${clock.id} laporan ${tracking}${subject} telah terlewati pada ${due.id}. ` +
        `Keterlambatan ini tercatat; mohon segera ditindaklanjuti.\n\n` +
        `The ${clock.en} deadline of report ${tracking}${subject} passed at ${due.en}. ` +
        `The delay has been recorded; please act now.`,
    };
  },
  'report.escalated': (p) => {
    const tracking = trackingOf(p);
    const subject = quotedTitle(p);
    const office = ombudsmanOfficeOf(p);
    return {
      title: `Laporan ${tracking} dieskalasi ke ${office.id} / Report ${tracking} escalated to ${office.en}`,
      body:
        `Laporan ${tracking}${subject} tidak diselesaikan dalam batas waktu dan telah dieskalasi ke ${office.id} ` +
        `untuk ditangani.\n\n` +
        `Report ${tracking}${subject} was not resolved in time and has been escalated to ${office.en}.`,
    };
  },
  'report.auto_closed': (p) => {
    const tracking = trackingOf(p);
    const subject = quotedTitle(p);
    return {
      title: `Laporan ${tracking} ditutup otomatis / Report ${tracking} closed automatically`,
      body:
        `Laporan ${tracking}${subject} ditutup otomatis karena tidak ada tanggapan pelapor atas jawaban ` +
        `dalam batas waktu.\n\n` +
        `Report ${tracking}${subject} was closed automatically because the reporter did not respond to the ` +
        `answer within the time limit.`,
    };
  },
  'report.archived_incomplete': (p) => {
    const tracking = trackingOf(p);
    const subject = quotedTitle(p);
    return {
      title: `Laporan ${tracking} diarsipkan karena belum lengkap / Report ${tracking} archived as incomplete`,
      body:
        `Laporan ${tracking}${subject} diarsipkan karena kelengkapan yang diminta tidak diterima dalam batas ` +
        `waktu. Anda dapat mengirim laporan baru dengan keterangan yang lengkap.\n\n` +
        `Report ${tracking}${subject} was archived because the requested details did not arrive in time. ` +
        `You may file a new report with the full details.`,
    };
  },
  // The lifecycle, for the reporter (notifications/lifecycle.ts says who hears what).
  'report.received': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan ${t} diterima / Report ${t} received`,
      body:
        `Laporan Anda${quotedTitle(p)} telah diterima dengan nomor pelacakan ${t}. Laporan akan diverifikasi paling lama ` +
        `3 hari kerja.\n\n` +
        `Your report${quotedTitle(p)} was received with tracking ID ${t}. It will be verified within 3 working days.`,
    };
  },
  'report.published': (p) => {
    const t = trackingOf(p);
    const shown = p.isPublic === true;
    return {
      title: `Laporan ${t} terverifikasi / Report ${t} verified`,
      body:
        `Laporan ${t}${quotedTitle(p)} telah diverifikasi${shown ? ' dan kini dapat dilihat publik' : ' dan tidak ditampilkan kepada publik'}. ` +
        `Berikutnya laporan diteruskan ke instansi yang berwenang.\n\n` +
        `Report ${t}${quotedTitle(p)} has been verified${shown ? ' and is now public' : ' and is not shown to the public'}. ` +
        `Next it goes to the responsible body.`,
    };
  },
  'report.on_hold': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan ${t} perlu dilengkapi / Report ${t} needs more information`,
      body:
        `Laporan ${t}${quotedTitle(p)} ditunda sampai Anda melengkapinya.${quoted(p, 'Pertanyaan petugas')} ` +
        `Balas dalam 10 hari kerja; tanpa balasan, laporan diarsipkan.\n\n` +
        `Report ${t}${quotedTitle(p)} is on hold until you complete it. Reply within 10 working days, ` +
        `or it will be archived.`,
    };
  },
  'report.routed': (p) => {
    const t = trackingOf(p);
    const body = textOf(p.bodyName) ?? 'instansi yang berwenang';
    const bodyEn = textOf(p.bodyName) ?? 'the responsible body';
    return {
      title: `Laporan ${t} diteruskan ke ${body} / Report ${t} sent to ${bodyEn}`,
      body:
        `Laporan ${t}${quotedTitle(p)} kini ditangani oleh ${body}, yang wajib menindaklanjutinya paling lama 5 hari kerja.\n\n` +
        `Report ${t}${quotedTitle(p)} is now handled by ${bodyEn}, which must follow it up within 5 working days.`,
    };
  },
  'report.followed_up': (p) => {
    const t = trackingOf(p);
    const body = textOf(p.bodyName) ?? 'Instansi';
    return {
      title: `Tindak lanjut laporan ${t} / Follow-up on report ${t}`,
      body: `${body} menindaklanjuti laporan ${t}${quotedTitle(p)}.${quoted(p, 'Isi')}\n\n${body} posted a follow-up on report ${t}.`,
    };
  },
  'report.answered': (p) => {
    const t = trackingOf(p);
    const due = textOf(p.replyDueAt) ? formatDue(textOf(p.replyDueAt), textOf(p.timeZone)) : null;
    return {
      title: `Laporan ${t} dijawab / Report ${t} answered`,
      body:
        `Laporan ${t}${quotedTitle(p)} telah dijawab.${quoted(p, 'Jawaban')} Terima jawaban, beri penilaian, atau balas bila belum ` +
        `selesai${due ? ` sampai ${due.id}` : ''}; tanpa tanggapan, laporan ditutup otomatis.\n\n` +
        `Report ${t} has been answered. Accept it, rate it, or reply if it is not resolved` +
        `${due ? ` by ${due.en}` : ''}; without a response, the report closes automatically.`,
    };
  },
  'report.archived': (p) => {
    const t = trackingOf(p);
    const reason = archiveReasonOf(p);
    const appeal =
      p.appealOpen === false
        ? { id: 'Banding untuk laporan ini sudah pernah diajukan.', en: 'This report has already been appealed once.' }
        : {
            id: 'Jika tidak setuju, Anda dapat mengajukan banding satu kali lewat halaman laporan.',
            en: 'If you disagree, you may appeal once from the report’s page.',
          };
    return {
      title: `Laporan ${t} diarsipkan / Report ${t} archived`,
      body:
        `Laporan ${t}${quotedTitle(p)} diarsipkan karena ${reason.id}. ${appeal.id}\n\n` +
        `Report ${t}${quotedTitle(p)} was archived as ${reason.en}. ${appeal.en}`,
    };
  },
  'report.appeal_granted': (p) => {
    const t = trackingOf(p);
    return {
      title: `Banding laporan ${t} diterima / Appeal on report ${t} granted`,
      body:
        `Banding Anda diterima: laporan ${t}${quotedTitle(p)} dibuka kembali dan akan diverifikasi ulang.${quoted(p, 'Catatan')}\n\n` +
        `Your appeal was granted: report ${t} is open again and will be verified anew.`,
    };
  },
  'report.appeal_rejected': (p) => {
    const t = trackingOf(p);
    return {
      title: `Banding laporan ${t} ditolak / Appeal on report ${t} rejected`,
      body:
        `Banding Anda atas laporan ${t}${quotedTitle(p)} ditolak; laporan tetap diarsipkan.${quoted(p, 'Alasan')}\n\n` +
        `Your appeal on report ${t} was rejected; the report stays archived.`,
    };
  },
  // The lifecycle, for staff: never anything of the reporter (lifecycle.ts, staffPayload).
  'report.assigned': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan baru untuk instansi Anda: ${t} / New report for your body: ${t}`,
      body:
        `Laporan ${t}${quotedTitle(p)} diteruskan kepada ${textOf(p.bodyName) ?? 'instansi Anda'}. ` +
        `Tindak lanjut pertama paling lama 5 hari kerja.\n\n` +
        `Report ${t}${quotedTitle(p)} was sent to ${textOf(p.bodyName) ?? 'your body'}. The first follow-up is due within 5 working days.`,
    };
  },
  'report.returned': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan ${t} dikembalikan ke admin nasional / Report ${t} returned to the national desk`,
      body:
        `Instansi mengembalikan laporan ${t}${quotedTitle(p)} karena bukan kewenangannya. Tentukan instansi yang tepat.\n\n` +
        `A body returned report ${t}${quotedTitle(p)} as not its own. Route it to the right body.`,
    };
  },
  'report.dispositioned': (p) => {
    const t = trackingOf(p);
    return {
      title: `Disposisi laporan ${t} ke unit Anda / Report ${t} dispositioned to your unit`,
      body:
        `Laporan ${t}${quotedTitle(p)} didisposisikan ke ${textOf(p.unitName) ?? 'unit Anda'}. Mohon ditindaklanjuti.\n\n` +
        `Report ${t}${quotedTitle(p)} was dispositioned to ${textOf(p.unitName) ?? 'your unit'}. Please act on it.`,
    };
  },
  'report.reporter_replied': (p) => {
    const t = trackingOf(p);
    return {
      title: `Pelapor membalas laporan ${t} / The reporter replied on report ${t}`,
      body:
        `Pelapor menambahkan tanggapan pada laporan ${t}${quotedTitle(p)}. Buka laporan untuk membacanya.\n\n` +
        `The reporter added a reply on report ${t}${quotedTitle(p)}. Open the report to read it.`,
    };
  },
  'report.completed': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan ${t} telah dilengkapi / Report ${t} completed by the reporter`,
      body:
        `Pelapor melengkapi laporan ${t}${quotedTitle(p)} yang ditunda; laporan siap diverifikasi kembali.\n\n` +
        `The reporter completed report ${t}${quotedTitle(p)}; it is ready to be verified again.`,
    };
  },
  'report.reopened': (p) => {
    const t = trackingOf(p);
    return {
      title: `Laporan ${t} dibuka kembali oleh pelapor / Report ${t} reopened by the reporter`,
      body:
        `Pelapor menyatakan jawaban atas laporan ${t}${quotedTitle(p)} belum menyelesaikan masalah; penyelesaian berjalan lagi.\n\n` +
        `The reporter says the answer on report ${t}${quotedTitle(p)} did not resolve it; the resolution clock runs again.`,
    };
  },
  'report.low_rating': (p) => {
    const t = trackingOf(p);
    const rating = textOf(p.rating) ?? '?';
    return {
      title: `Penilaian rendah (${rating}/5) pada laporan ${t} / Low rating (${rating}/5) on report ${t}`,
      body:
        `Pelapor memberi nilai ${rating}/5 pada laporan ${t}${quotedTitle(p)}; laporan dibuka kembali untuk diselesaikan.\n\n` +
        `The reporter rated report ${t}${quotedTitle(p)} ${rating}/5; it is open again to be resolved.`,
    };
  },
  'report.archive_requested': (p) => {
    const t = trackingOf(p);
    const reason = archiveReasonOf(p);
    return {
      title: `Permintaan arsip laporan ${t} menunggu keputusan / Archive request on report ${t} awaits you`,
      body:
        `Instansi meminta laporan ${t}${quotedTitle(p)} diarsipkan karena ${reason.id}. Konfirmasi atau tolak permintaan ini.\n\n` +
        `A body asks to archive report ${t}${quotedTitle(p)} as ${reason.en}. Confirm or reject the request.`,
    };
  },
  'report.archive_confirmed': (p) => {
    const t = trackingOf(p);
    return {
      title: `Permintaan arsip laporan ${t} dikonfirmasi / Archive of report ${t} confirmed`,
      body: `Admin nasional mengonfirmasi arsip laporan ${t}${quotedTitle(p)}.\n\nA national admin confirmed the archive of report ${t}.`,
    };
  },
  'report.archive_rejected': (p) => {
    const t = trackingOf(p);
    return {
      title: `Permintaan arsip laporan ${t} ditolak / Archive request on report ${t} rejected`,
      body:
        `Admin nasional menolak permintaan arsip laporan ${t}${quotedTitle(p)}; laporan tetap harus ditangani.\n\n` +
        `A national admin rejected the archive request on report ${t}; the report must still be handled.`,
    };
  },
  'report.appealed': (p) => {
    const t = trackingOf(p);
    return {
      title: `Banding atas arsip laporan ${t} / Appeal against the archive of report ${t}`,
      body:
        `Pelapor mengajukan banding atas arsip laporan ${t}${quotedTitle(p)}. Terima atau tolak banding ini.\n\n` +
        `The reporter appealed against the archive of report ${t}${quotedTitle(p)}. Grant or reject the appeal.`,
    };
  },
  'deadline.missed_digest': (p) => {
    const count = textOf(p.count) ?? '?';
    const body = textOf(p.bodyName);
    const items = Array.isArray(p.items) ? p.items.filter((i): i is Record<string, unknown> => i !== null && typeof i === 'object') : [];
    const lines = items.map((i) => {
      const clock = clockName(textOf(i.clock));
      const due = formatDue(textOf(i.dueAt), textOf(i.timeZone));
      return `- ${trackingOf(i)}${quotedTitle(i)}: ${clock.id} / ${clock.en}, ${due.id}`;
    });
    const more = Number(count) - lines.length;
    if (more > 0) lines.push(`- … dan ${more} lainnya / and ${more} more`);
    return {
      title: `${count} batas waktu terlewati${body ? ` di ${body}` : ''} / ${count} deadlines missed${body ? ` at ${body}` : ''}`,
      body:
        `Batas waktu berikut terlewati dan tercatat sebagai keterlambatan; mohon segera ditindaklanjuti.\n` +
        `These deadlines passed and count as late; please act now.\n\n${lines.join('\n')}`,
    };
  },
  // The account's own secrets (src/features/accounts), sent only to the account's own address.
  // They sit under payload.secret, which the dispatcher drops once the message is sent.
  'account.sign_in_code': (p) => {
    const code = textOf(secretOf(p).code) ?? '(kode tidak tersedia / code unavailable)';
    const minutes = textOf(p.minutes) ?? '10';
    return {
      title: `Kode masuk LAPOR!: ${code} / LAPOR! sign-in code: ${code}`,
      body:
        `Kode masuk Anda: ${code}\n` +
        `Kode ini berlaku ${minutes} menit dan hanya sekali pakai. Jangan berikan kode ini kepada siapa pun, ` +
        `termasuk petugas LAPOR!. Jika Anda tidak meminta kode ini, abaikan pesan ini; akun Anda tetap aman.\n\n` +
        `Your sign-in code: ${code}\n` +
        `It is valid for ${minutes} minutes and works once. Never give it to anyone, LAPOR! staff included. ` +
        `If you did not ask for it, ignore this message; your account is safe.`,
    };
  },
  'account.password_reset': (p) => {
    const secret = secretOf(p);
    const token = textOf(secret.token) ?? '(tidak tersedia / unavailable)';
    const link = textOf(secret.link);
    const minutes = textOf(p.minutes) ?? '60';
    // The code too, for a phone that opens links in a browser without JavaScript: the page takes it typed.
    const how = link
      ? {
          id: `Buka tautan ini untuk membuat kata sandi baru:\n${link}\nAtau masukkan kode ini di halaman atur ulang kata sandi:\n${token}`,
          en: `Open this link to set a new password:\n${link}\nOr enter this code on the password reset page:\n${token}`,
        }
      : { id: `Masukkan kode atur ulang ini di aplikasi LAPOR!:\n${token}`, en: `Enter this reset code in the LAPOR! app:\n${token}` };
    return {
      title: 'Atur ulang kata sandi LAPOR! / Reset your LAPOR! password',
      body:
        `Ada permintaan untuk mengatur ulang kata sandi akun LAPOR! Anda. ${how.id}\n` +
        `Berlaku ${minutes} menit dan hanya sekali pakai; setelah itu semua sesi akun Anda berakhir. ` +
        `Jika Anda tidak memintanya, abaikan pesan ini; kata sandi Anda tidak berubah.\n\n` +
        `Someone asked to reset the password of your LAPOR! account. ${how.en}\n` +
        `It is valid for ${minutes} minutes and works once; then every session of your account ends. ` +
        `If you did not ask for it, ignore this message; your password stays as it is.`,
    };
  },
  'account.invitation': (p) => {
    const secret = secretOf(p);
    const token = textOf(secret.token) ?? '(tidak tersedia / unavailable)';
    const link = textOf(secret.link);
    const hours = textOf(p.hours) ?? '72';
    const how = link
      ? {
          id: `Buka tautan ini untuk membuat kata sandi Anda:\n${link}\nAtau masukkan kode ini di halaman atur ulang kata sandi:\n${token}`,
          en: `Open this link to set your password:\n${link}\nOr enter this code on the password reset page:\n${token}`,
        }
      : {
          id: `Masukkan kode ini di halaman atur ulang kata sandi LAPOR!:\n${token}`,
          en: `Enter this code on the LAPOR! password reset page:\n${token}`,
        };
    return {
      title: 'Akun petugas LAPOR! Anda sudah dibuat / Your LAPOR! staff account is ready',
      body:
        `Admin LAPOR! membuatkan akun petugas untuk Anda. ${how.id}\n` +
        `Berlaku ${hours} jam dan hanya sekali pakai; setelah itu gunakan "Lupa kata sandi" untuk tautan baru. ` +
        `Jika Anda tidak mengenal akun ini, abaikan pesan ini.\n\n` +
        `A LAPOR! admin made a staff account for you. ${how.en}\n` +
        `It is valid for ${hours} hours and works once; after that, "Forgot your password" sends a new link. ` +
        `If you do not know of this account, ignore this message.`,
    };
  },
  'account.password_changed': (p) => {
    const reset = p.how === 'reset';
    return {
      title: 'Kata sandi LAPOR! Anda diubah / Your LAPOR! password was changed',
      body:
        `Kata sandi akun LAPOR! Anda baru saja ${reset ? 'diatur ulang lewat email' : 'diubah'}, dan sesi lain akun ini ` +
        `telah diakhiri. Jika bukan Anda yang melakukannya, segera atur ulang kata sandi dan hubungi admin LAPOR!.\n\n` +
        `The password of your LAPOR! account was just ${reset ? 'reset by email' : 'changed'}, and the account's other ` +
        `sessions were ended. If this was not you, reset your password now and contact a LAPOR! admin.`,
    };
  },
  'account.contact_changed': (p) => {
    const fields = Array.isArray(p.fields) ? p.fields.filter((f) => f === 'email' || f === 'phone') : [];
    const id = fields.map((f) => (f === 'email' ? 'email' : 'nomor telepon')).join(' dan ') || 'kontak';
    const en = fields.map((f) => (f === 'email' ? 'email' : 'phone number')).join(' and ') || 'contact details';
    return {
      title: `Kontak akun LAPOR! Anda diubah / Your LAPOR! contact details were changed`,
      body:
        `${capitalise(id)} akun LAPOR! Anda baru saja diubah. Kode masuk dan tautan atur ulang kata sandi kini dikirim ` +
        `ke kontak yang baru. Jika bukan Anda yang melakukannya, hubungi admin LAPOR!.\n\n` +
        `The ${en} of your LAPOR! account ${fields.length > 1 ? 'were' : 'was'} just changed. Sign-in codes and password ` +
        `reset links now go to the new details. If this was not you, contact a LAPOR! admin.`,
    };
  },
  // The Ombudsman's own steps on an escalated report (src/features/ombudsman).
  'ombudsman.taken_over': (p) => {
    const tracking = trackingOf(p);
    const office = ombudsmanOfficeOf(p);
    return {
      title: `Laporan ${tracking} ditangani ${office.id} / Report ${tracking} taken over by ${office.en}`,
      body:
        `${office.id} mulai menangani laporan ${tracking}${quotedTitle(p)}.\n\n` +
        `${capitalise(office.en)} has started handling report ${tracking}${quotedTitle(p)}.`,
    };
  },
  'ombudsman.findings': (p) => ombudsmanStep(p, { id: 'temuan', en: 'findings' }),
  'ombudsman.recommendation': (p) => ombudsmanStep(p, { id: 'rekomendasi', en: 'a recommendation' }),
  'ombudsman.closed': (p) => {
    const tracking = trackingOf(p);
    const office = ombudsmanOfficeOf(p);
    return {
      title: `Penanganan Ombudsman atas laporan ${tracking} selesai / The Ombudsman has closed report ${tracking}`,
      body:
        `${office.id} telah menyelesaikan penanganan laporan ${tracking}${quotedTitle(p)}. ` +
        `Buka LAPOR! untuk membaca hasilnya.\n\n` +
        `${capitalise(office.en)} has finished handling report ${tracking}${quotedTitle(p)}. Open LAPOR! for the outcome.`,
    };
  },
  // A province's or a body's own days off apply only once a national admin approves them (src/features/calendars).
  'calendar.change_requested': (p) => {
    const id = textOf(p.requestId) ?? '?';
    const layer = textOf(p.layerName) ?? textOf(p.layer) ?? '(kalender / calendar)';
    const date = textOf(p.date) ?? '';
    const year = textOf(p.year) ?? '';
    const what: Record<string, { id: string; en: string }> = {
      add: { id: `penambahan hari ${date}`, en: `adding ${date}` },
      change: { id: `perubahan hari ${date}`, en: `changing ${date}` },
      remove: { id: `penghapusan hari ${date}`, en: `removing ${date}` },
      import: { id: `impor kalender tahun ${year}`, en: `importing the ${year} calendar` },
    };
    const asked = what[textOf(p.action) ?? ''] ?? { id: 'perubahan kalender', en: 'a calendar change' };
    return {
      title: `Perubahan kalender ${layer} menunggu persetujuan / Calendar change for ${layer} awaits approval`,
      body:
        `Admin ${layer} mengajukan ${asked.id} (permintaan #${id}). Perubahan berlaku setelah disetujui admin nasional; ` +
        `buka LAPOR! untuk menyetujui atau menolaknya.\n\n` +
        `The admin of ${layer} asked for ${asked.en} (request #${id}). It applies once a national admin approves it; ` +
        `open LAPOR! to approve or reject it.`,
    };
  },
  'calendar.change_decided': (p) => {
    const id = textOf(p.requestId) ?? '?';
    const layer = textOf(p.layerName) ?? textOf(p.layer) ?? '(kalender / calendar)';
    const reason = textOf(p.reason);
    if (p.decision === 'approved') {
      const moved = textOf(p.deadlinesMoved) ?? '0';
      return {
        title: `Perubahan kalender ${layer} disetujui / Calendar change for ${layer} approved`,
        body:
          `Permintaan #${id} disetujui dan kini berlaku; ${moved} batas waktu laporan disesuaikan.\n\n` +
          `Request #${id} was approved and now applies; ${moved} report deadlines were moved.`,
      };
    }
    return {
      title: `Perubahan kalender ${layer} ditolak / Calendar change for ${layer} rejected`,
      body:
        `Permintaan #${id} ditolak; kalender tidak berubah.${reason ? ` Alasan: ${reason}` : ''}\n\n` +
        `Request #${id} was rejected; the calendar is unchanged.${reason ? ` Reason: ${reason}` : ''}`,
    };
  },
};

const ARCHIVE_REASONS: Record<string, { id: string; en: string }> = {
  duplicate: { id: 'sama dengan laporan lain (duplikat)', en: 'a duplicate of another report' },
  incomplete: { id: 'keterangannya tidak lengkap', en: 'incomplete' },
  not_public_service: { id: 'bukan tentang pelayanan publik', en: 'not about a public service' },
  spam_hoax: { id: 'spam atau hoaks', en: 'spam or a hoax' },
  abusive: { id: 'mengandung kata-kata kasar atau SARA', en: 'abusive' },
};

function archiveReasonOf(p: Record<string, unknown>): { id: string; en: string } {
  const reason = textOf(p.reason);
  return (reason && Object.hasOwn(ARCHIVE_REASONS, reason) ? ARCHIVE_REASONS[reason] : null) ?? { id: 'alasan lain', en: 'another reason' };
}

/** The body's (or the Ombudsman's) own words, quoted short, after a label. */
function quoted(p: Record<string, unknown>, label: string): string {
  const text = textOf(p.quote);
  return text ? `\n${label}: “${text}”\n` : '';
}

/** Every message about a report ends with where to read it, when the site's address is known. */
function linked(p: Record<string, unknown>, message: RenderedMessage): RenderedMessage {
  const link = textOf(p.link);
  return link ? { title: message.title, body: `${message.body}\n\n${link}` } : message;
}

function ombudsmanStep(p: Record<string, unknown>, what: { id: string; en: string }): RenderedMessage {
  const tracking = trackingOf(p);
  const office = ombudsmanOfficeOf(p);
  return {
    title: `${capitalise(what.id)} Ombudsman atas laporan ${tracking} / Ombudsman ${what.en.replace(/^a /, '')} on report ${tracking}`,
    body:
      `${office.id} mencatat ${what.id} atas laporan ${tracking}${quotedTitle(p)}. Buka LAPOR! untuk membacanya.\n\n` +
      `${capitalise(office.en)} recorded ${what.en} on report ${tracking}${quotedTitle(p)}. Open LAPOR! to read it.`,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function renderGeneric(template: string, p: Record<string, unknown>): RenderedMessage {
  const tracking = textOf(p.trackingId);
  const subject = quotedTitle(p);
  if (tracking) {
    return {
      title: `Pembaruan laporan ${tracking} / Update on report ${tracking}`,
      body:
        `Ada pembaruan pada laporan ${tracking}${subject}. Buka LAPOR! untuk melihat rinciannya.\n\n` +
        `There is an update on report ${tracking}${subject}. Open LAPOR! for the details.`,
    };
  }
  const about = template ? ` (${template})` : '';
  return {
    title: `Pemberitahuan LAPOR! / LAPOR! notification`,
    body:
      `Ada pemberitahuan baru${about}. Buka LAPOR! untuk melihat rinciannya.\n\n` +
      `You have a new notification${about}. Open LAPOR! for the details.`,
  };
}

function deadlineParts(p: Record<string, unknown>) {
  return {
    tracking: trackingOf(p),
    subject: quotedTitle(p),
    clock: clockName(textOf(p.clock) ?? textOf(p.kind) ?? textOf(p.clockKind)),
    due: formatDue(textOf(p.dueAt), textOf(p.timeZone)),
  };
}

function clockName(kind: string | null): { id: string; en: string } {
  if (!kind) return { id: 'penanganan', en: 'handling' };
  if (Object.hasOwn(CLOCK_NAMES, kind)) return CLOCK_NAMES[kind as ClockKind];
  return { id: kind.replace(/_/g, ' '), en: kind.replace(/_/g, ' ') };
}

function trackingOf(p: Record<string, unknown>): string {
  return textOf(p.trackingId) ?? '(tanpa nomor / no number)';
}

/** The report's own title, in quotes after the tracking ID; it is the reporter's text, so kept short. */
function quotedTitle(p: Record<string, unknown>): string {
  const title = textOf(p.title);
  if (!title) return '';
  const short = title.length > 120 ? `${title.slice(0, 119)}…` : title;
  return ` “${short}”`;
}

function ombudsmanOfficeOf(p: Record<string, unknown>): { id: string; en: string } {
  const raw = p.ombudsmanOffice ?? p.office;
  const name =
    textOf(raw) ??
    (raw !== null && typeof raw === 'object' ? textOf((raw as Record<string, unknown>).name) : null) ??
    textOf(p.ombudsmanOfficeName);
  return name ? { id: name, en: name } : { id: 'Ombudsman Republik Indonesia', en: 'the Ombudsman of the Republic of Indonesia' };
}

function secretOf(p: Record<string, unknown>): Record<string, unknown> {
  const secret = p.secret;
  return secret !== null && typeof secret === 'object' ? (secret as Record<string, unknown>) : {};
}

function textOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * "27 Mar 2026 23:59 WIB": the wall time where the clock runs (its time zone), which is the
 * time printed on the body's own notices. Without a usable zone, the offset in the ISO string.
 */
export function formatDue(iso: string | null, timeZone: string | null): { id: string; en: string } {
  const unknown = { id: '(waktu tidak diketahui)', en: '(time unknown)' };
  if (!iso) return unknown;
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return { id: iso, en: iso };
  const fields = (timeZone && wallTimeIn(instant, timeZone)) || wallTimeAtOffset(instant, offsetMinutesOf(iso) ?? 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(fields.hour)}:${pad(fields.minute)} ${fields.zone}`;
  return {
    id: `${fields.day} ${MONTHS_ID[fields.month - 1]} ${fields.year} ${time}`,
    en: `${fields.day} ${MONTHS_EN[fields.month - 1]} ${fields.year} ${time}`,
  };
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  zone: string;
}

function wallTimeIn(instant: Date, timeZone: string): WallTime | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    }).formatToParts(instant);
  } catch {
    return null; // not a zone this runtime knows
  }
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  const offset = get('timeZoneName'); // "GMT+07:00", or "GMT" for UTC
  return {
    year: Number(get('year')),
    month: Number(get('month')),
    day: Number(get('day')),
    hour: Number(get('hour')),
    minute: Number(get('minute')),
    zone: ZONE_LABELS[timeZone] ?? offsetLabel(offsetMinutesOf(offset.replace('GMT', '')) ?? 0),
  };
}

function wallTimeAtOffset(instant: Date, offsetMinutes: number): WallTime {
  const shifted = new Date(instant.getTime() + offsetMinutes * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    zone: OFFSET_LABELS[offsetMinutes] ?? offsetLabel(offsetMinutes),
  };
}

function offsetMinutesOf(text: string): number | null {
  if (text === '' || /Z$/i.test(text)) return 0;
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const hm = abs % 60 === 0 ? String(abs / 60) : `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
  return `UTC${minutes < 0 ? '-' : '+'}${hm}`;
}

/** One line for the title (it becomes an email subject), and no control characters anywhere. */
function clean(message: RenderedMessage): RenderedMessage {
  return {
    title: message.title
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    body: message.body.replace(/[\u0000-\u0009\u000b-\u001f\u007f]+/g, ' '),
  };
}

/** What an SMS reporter can answer to each message, as the SMS commands write it. */
const SMS_HINTS: Record<string, (t: string) => string> = {
  'report.received': (t) => `Cek status: CEK ${t}`,
  'report.on_hold': (t) => `Lengkapi: BALAS ${t} <keterangan>`,
  'report.answered': (t) => `Balas: TERIMA ${t}, atau BALAS ${t} <pesan> bila belum selesai`,
  'report.auto_closed': (t) => `Beri nilai: NILAI ${t} <1-5>`,
};

/** The most segments one lifecycle SMS takes: four (612 GSM-7 characters), room for a quoted answer. */
export const SMS_MAX_SEGMENTS = 4;

/**
 * The same message as an SMS: the Indonesian text, what to send back, then the English title,
 * cut to SMS_MAX_SEGMENTS; typographic quotes and dashes as GSM-7 writes them, so that a plain
 * message costs GSM-7 segments, not UCS-2. A command's own reply (`sms.reply`) is sent as written.
 */
export function renderSms(template: string, payload: Record<string, unknown>): string {
  const p: Record<string, unknown> = payload !== null && typeof payload === 'object' ? payload : {};
  if (template === 'sms.reply') return toGsmFriendly(textOf(p.text) ?? 'LAPOR! 1708');
  const { title, body } = renderMessage(template, p);
  const indonesian = body.split('\n\n')[0]!.trim();
  const english = title.includes(' / ') ? title.slice(title.indexOf(' / ') + 3) : '';
  const tracking = textOf(p.trackingId);
  const hint = tracking && SMS_HINTS[template] ? ` ${SMS_HINTS[template](tracking)}.` : '';
  return fitSegments(toGsmFriendly(`${indonesian}${hint}${english ? ` / ${english}` : ''}`), SMS_MAX_SEGMENTS);
}

/** What a chat reporter can send back to each message, as the chat flow reads it (channels/chat.service.ts). */
const CHAT_HINTS: Record<string, string> = {
  'report.received':
    'Foto dan lokasi boleh dikirim menyusul; pesan berikutnya di sini ditambahkan ke laporan ini. ' +
    'Kirim CEK untuk status, LAPOR <isi> untuk laporan baru.',
  'report.on_hold': 'Balas di sini dengan keterangan yang diminta.',
  'report.answered': 'Kirim TERIMA bila selesai, atau BALAS <pesan> bila belum.',
  'report.auto_closed': 'Beri nilai: NILAI <1-5>.',
};

/** The longest text each platform takes in one message. */
export const CHAT_TEXT_LIMITS = { x: 280, whatsapp: 4096, telegram: 4096 } as const;
/** X counts every link as this many characters, whatever its length (t.co). */
const X_LINK_LENGTH = 23;

/**
 * The same message for a chat: on WhatsApp and Telegram the Indonesian text, what to send back,
 * the English text and the link, in one message of at most 4096 characters. On X every reply is
 * public, so it carries the message's bilingual title and the link only — never the body's words
 * (the question, the answer), which the reporter reads on the portal. A command's own reply
 * (`chat.reply`) is sent as written.
 */
export function renderChat(template: string, payload: Record<string, unknown>, platform: keyof typeof CHAT_TEXT_LIMITS): string {
  const p: Record<string, unknown> = payload !== null && typeof payload === 'object' ? payload : {};
  const limit = CHAT_TEXT_LIMITS[platform];
  if (template === 'chat.reply') {
    const text = typeof p.text === 'string' && p.text.trim() !== '' ? p.text.trim() : 'LAPOR!';
    return platform === 'x' ? fitTweet(text, null) : cutAt(text, limit);
  }
  const { title, body } = renderMessage(template, p);
  const link = textOf(p.link);
  if (platform === 'x') return fitTweet(title, link);
  const [indonesian = '', ...rest] = body.split('\n\n');
  const hint = CHAT_HINTS[template] ? ` ${CHAT_HINTS[template]}` : '';
  return cutAt([`${indonesian.trim()}${hint}`, ...rest].join('\n\n'), limit);
}

/** At most `limit` characters (code points), cut at a word with "…". */
function cutAt(text: string, limit: number): string {
  const chars = [...text];
  if (chars.length <= limit) return text;
  const cut = chars.slice(0, limit - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > limit / 2 ? cut.slice(0, space) : cut}…`;
}

/** A tweet of the text and the link, within X's 280 characters (a link counts as 23). */
function fitTweet(text: string, link: string | null): string {
  const room = CHAT_TEXT_LIMITS.x - (link ? X_LINK_LENGTH + 1 : 0);
  const flat = text.replace(/\s+/g, ' ').trim();
  return link ? `${cutAt(flat, room)} ${link}` : cutAt(flat, room);
}
