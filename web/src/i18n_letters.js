// Words of the issued letter and its pickup (console, citizen page, admin), Indonesian
// first. Merged over a page's dictionary by `withLetters(DICT)`.
export const LETTERS = {
  id: {
    letter_title: "Surat",
    letter_number: "Nomor surat",
    letter_issued: "Terbit",
    letter_valid_until: "Berlaku s.d.",
    letter_status: "Keabsahan",
    letter_valid: "Sah",
    letter_revoked: "Dicabut",
    letter_signer: "Penanda tangan",
    letter_handed_over: "Diserahkan",
    letter_download: "Unduh PDF",
    letter_verify_link: "Halaman cek keaslian",
    revoke_letter: "Cabut surat",
    revoke_reason: "Alasan pencabutan",
    revoke_submit: "Cabut",
    revoked_notice: "Surat ini dicabut: {reason}",
    pickup_title: "Serahkan surat",
    pickup_code: "Kode akses pemohon",
    pickup_code_help: "Dari tanda terima atau halaman tiket pemohon. Atau pindai QR tanda terima.",
    pickup_scanned: "QR tanda terima dipindai: {text}",
    pickup_id_checked: "KTP asli pemohon sudah saya periksa",
    pickup_collector: "Diambil oleh (kosongkan bila pemohon sendiri)",
    pickup_submit: "Serahkan surat",
    pickup_done: "Surat diserahkan kepada {who}.",
    pickup_receipt_link: "Cetak tanda terima pengambilan",
    scan_label: "Pindai QR tanda terima atau ketik nomor tiket",
    scan_find: "Cari",
    scan_camera: "Pindai dengan kamera",
    scan_stop: "Hentikan kamera",
    scan_video: "Kamera pemindai QR",
    letter_ready_title: "Surat siap diambil",
    letter_ready_download: "Surat siap diunduh",
    letter_done_title: "Surat sudah diterima",
    pickup_where: "Tempat pengambilan",
    office_hours: "Jam layanan",
    closed_day: "Tutup",
    pickup_bring: "Bawa kode akses (tanda terima) dan KTP asli saat mengambil surat.",
    letter_receive: "Unduh surat (PDF)",
    letter_receive_help: "Kantor ini mengirim surat secara elektronik: unduhan Anda menyelesaikan permohonan.",
    letter_copy: "Unduh salinan surat (PDF)",
    wd_mon: "Senin", wd_tue: "Selasa", wd_wed: "Rabu", wd_thu: "Kamis", wd_fri: "Jumat", wd_sat: "Sabtu", wd_sun: "Minggu",
    ev_letter_issued: "Surat terbit: nomor {number}",
    ev_letter_revoked: "Surat dicabut",
    ev_letter_handed_over: "Surat diserahkan kepada {who}",
    ev_letter_downloaded: "Surat diunduh pemohon",
    nip: "NIP (18 angka)",
    letters_settings: "Surat",
    number_template: "Format nomor surat",
    number_template_help: "Wajib {seq}. Pilihan: {class} {seq} {service} {office} {kemendagri} {month} {month_roman} {year}",
    next_number: "Nomor berikutnya: {number}",
    electronic_delivery: "Surat boleh diunduh pemohon (tanpa ambil ke kantor)",
  },
  en: {
    letter_title: "Letter",
    letter_number: "Letter number",
    letter_issued: "Issued",
    letter_valid_until: "Valid until",
    letter_status: "Standing",
    letter_valid: "Valid",
    letter_revoked: "Revoked",
    letter_signer: "Signed by",
    letter_handed_over: "Handed over",
    letter_download: "Download PDF",
    letter_verify_link: "Public check page",
    revoke_letter: "Revoke letter",
    revoke_reason: "Reason for revoking",
    revoke_submit: "Revoke",
    revoked_notice: "This letter was revoked: {reason}",
    pickup_title: "Hand the letter over",
    pickup_code: "Applicant's access code",
    pickup_code_help: "From the receipt or the applicant's ticket page. Or scan the receipt's QR code.",
    pickup_scanned: "Receipt QR scanned: {text}",
    pickup_id_checked: "I checked the applicant's original ID card",
    pickup_collector: "Collected by (leave empty for the applicant)",
    pickup_submit: "Hand over",
    pickup_done: "Letter handed over to {who}.",
    pickup_receipt_link: "Print the pickup receipt",
    scan_label: "Scan the receipt's QR or type the ticket number",
    scan_find: "Find",
    scan_camera: "Scan with the camera",
    scan_stop: "Stop the camera",
    scan_video: "QR scanner camera",
    letter_ready_title: "Letter ready for pickup",
    letter_ready_download: "Letter ready to download",
    letter_done_title: "Letter received",
    pickup_where: "Where to collect it",
    office_hours: "Opening hours",
    closed_day: "Closed",
    pickup_bring: "Bring your access code (receipt) and your original ID card.",
    letter_receive: "Download the letter (PDF)",
    letter_receive_help: "This office delivers letters electronically: your download completes the request.",
    letter_copy: "Download a copy (PDF)",
    wd_mon: "Monday", wd_tue: "Tuesday", wd_wed: "Wednesday", wd_thu: "Thursday", wd_fri: "Friday", wd_sat: "Saturday", wd_sun: "Sunday",
    ev_letter_issued: "Letter issued: number {number}",
    ev_letter_revoked: "Letter revoked",
    ev_letter_handed_over: "Letter handed over to {who}",
    ev_letter_downloaded: "Letter downloaded by the applicant",
    nip: "NIP (18 digits)",
    letters_settings: "Letters",
    number_template: "Letter number format",
    number_template_help: "{seq} is required. Also: {class} {seq} {service} {office} {kemendagri} {month} {month_roman} {year}",
    next_number: "Next number: {number}",
    electronic_delivery: "Applicants may download the letter (no trip to the office)",
  },
};

export function withLetters(dict) {
  return { id: { ...dict.id, ...LETTERS.id }, en: { ...dict.en, ...LETTERS.en } };
}

/** A timeline line for the letter's events (null for other kinds). */
export function describeLetterEvent(ev, t, tf) {
  const p = ev.payload || {};
  switch (ev.kind) {
    case "letter_issued":
      return tf("ev_letter_issued", { number: p.number });
    case "letter_revoked":
      return t("ev_letter_revoked") + (p.reason ? ` — ${p.reason}` : "");
    case "letter_handed_over":
      return p.method === "download" ? t("ev_letter_downloaded") : tf("ev_letter_handed_over", { who: p.collector || "" });
    default:
      return null;
  }
}
