#!/usr/bin/env node
/**
 * Writes PII positives and look-alike negatives for every locale of @faker-js/faker that has phone data
 * (62 locales), in the corpus format of bench/corpora/README.md:
 *
 *   npm install --prefix /tmp/faker @faker-js/faker      # outside the project: not a dependency
 *   FAKER_PATH=/tmp/faker/node_modules/@faker-js/faker node scripts/corpora/gather-pii-locales.mjs \
 *     [--seed 5101] [--scale 1] [--max 600] [--out bench/corpora/pii/tune-locales.jsonl]
 *
 * The committed files, with faker 10.6.0 (same seed, same faker version, same file): `tune-locales.jsonl` (seed 5101,
 * scale 1, max 600); `tune-was-holdout-locales.jsonl` (seed 7919, scale 2: the first holdout, scored once on 26 Nov 2026
 * and then tuned to); `holdout-locales.jsonl` (seed 31337, scale 2: never tuned to).
 *
 * Positives (label by what a reader would call PII):
 * - phone: every format style faker's locale data has (`human`, `national`, `mobile`, `international`), the
 *   format strings sampled in turn, digits filled by faker; each national number also written with the
 *   country's calling code (`+CC`, trunk 0 dropped) — with and without international prefix. Faker's digits
 *   are random: libphonenumber's verdict (valid / possible / neither) is recorded in `note`, never used to
 *   choose. Extensions (`x123`) stay in the text; the expected value is the number before them. Put in a
 *   sentence in the locale's language: a label (`Tel.:`), a call verb (`Ruf mich an unter`) or a signature
 *   line after a faker name (no label: a name and a number on a line is a contact).
 * - email (faker internet.email, locale names), iban (faker finance.iban for the locale's country, else a
 *   country faker has; grouped or solid), card (faker finance.creditCardNumber of visa, mastercard,
 *   american_express, discover, diners_club, jcb: Luhn-valid), ip (faker internet.ipv4 / ipv6), secret
 *   (faker internet.jwt, signed; and provider formats from the providers' public docs — GitHub's `ghp_` +
 *   36 base62 (github.blog, "Behind GitHub's new authentication token formats", 2021), Stripe's
 *   `sk_live_` + 24, Slack's `xoxb-` bot token, AWS's `AKIA` + 16 upper-case/digits, Google's `AIza` + 35 —
 *   random characters, so each is fake).
 *
 * Negatives (look-alikes a reader would not call PII), each labelled with the category it mimics: dates and
 * times written as the locale writes them (Intl), prices with the locale's currency, percentages, postal
 * codes (faker location.zipCode, with a city), order / invoice / customer / tracking numbers of phone length
 * (7–12 digits, some grouped like the locale's phone formats) after the locale's word for what they number,
 * card-length reference numbers after such a word, version strings (three and four parts, under `ip`),
 * ISBNs, UUIDs and commit SHAs (under `secret`), MAC addresses (`ip`), coordinates, BICs (`iban`).
 * Rule for the ambiguous: a solid 10-digit number with no context at all is neither — such items are not
 * written; a number is a negative only when its own words name it something else (an order, an invoice).
 *
 * Sentences: a template per language of my own writing (a few words each); locales whose language has no
 * template below use English frames (their `lang` is then `en`, the locale in `note`).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Metadata } from 'libphonenumber-js/core';
import { getCountryCallingCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/metadata.max.json';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const SEED = Number(arg('seed', '5101'));
const SCALE = Number(arg('scale', '1'));
const MAX = Number(arg('max', '0'));
const OUT = arg('out', join(root, 'bench/corpora/pii/tune-locales.jsonl'));
const fakerPath = process.env.FAKER_PATH;
if (!fakerPath) {
  console.error('FAKER_PATH=<dir of @faker-js/faker> is required (install it outside the project, see the header)');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const F = require(fakerPath);
const FAKER_VERSION = require(join(fakerPath, 'package.json')).version;
const SOURCE = `generated (scripts/corpora/gather-pii-locales.mjs, @faker-js/faker ${FAKER_VERSION}, seed ${SEED}); fake values`;

// ---- the locale's country, language and currency ----
// biome-ignore format: a table
const COUNTRY_OF_LANG = {
  az: 'AZ', cy: 'GB', da: 'DK', de: 'DE', dv: 'MV', el: 'GR', en: 'US', es: 'ES', fa: 'IR', fi: 'FI', fr: 'FR', he: 'IL',
  hr: 'HR', hu: 'HU', hy: 'AM', it: 'IT', ja: 'JP', ko: 'KR', lv: 'LV', mk: 'MK', ne: 'NP', nl: 'NL', pl: 'PL', ro: 'RO',
  ru: 'RU', sk: 'SK', sv: 'SE', th: 'TH', tr: 'TR', uk: 'UA', vi: 'VN',
};
// biome-ignore format: a table
const CURRENCY = {
  ZA: 'ZAR', AZ: 'AZN', CZ: 'CZK', GB: 'GBP', DK: 'DKK', DE: 'EUR', AT: 'EUR', CH: 'CHF', MV: 'MVR', GR: 'EUR', US: 'USD',
  AU: 'AUD', CA: 'CAD', GH: 'GHS', HK: 'HKD', IE: 'EUR', IN: 'INR', NG: 'NGN', NP: 'NPR', ES: 'EUR', MX: 'MXN', IR: 'IRR',
  FI: 'EUR', FR: 'EUR', BE: 'EUR', LU: 'EUR', IL: 'ILS', HR: 'EUR', HU: 'HUF', AM: 'AMD', ID: 'IDR', IT: 'EUR', JP: 'JPY',
  GE: 'GEL', KR: 'KRW', LV: 'EUR', MK: 'MKD', NO: 'NOK', NL: 'EUR', PL: 'PLN', BR: 'BRL', PT: 'EUR', RO: 'RON', MD: 'MDL',
  RU: 'RUB', SK: 'EUR', RS: 'RSD', SE: 'SEK', TH: 'THB', TR: 'TRY', UA: 'UAH', VN: 'VND', CN: 'CNY', TW: 'TWD',
};
function countryOf(locale) {
  if (locale === 'sr_RS_latin') return 'RS';
  if (locale === 'en_AU_ocker') return 'AU';
  const [lang, region] = locale.split('_');
  return region && /^[A-Z]{2}$/.test(region) ? region : COUNTRY_OF_LANG[lang];
}
const langOf = (locale) => locale.split('_')[0];
const bcp47 = (locale) => (locale === 'sr_RS_latin' ? 'sr-Latn-RS' : locale === 'en_AU_ocker' ? 'en-AU' : locale.replace('_', '-'));

// ---- sentence templates per language (own writing): {} is the value ----
// tel: a label; call: a call verb; mail, iban, card, ip, secret: a sentence; words: what a number names.
// biome-ignore format: one language a line reads best
const T = {
  en: { tel: ['Tel.: {}', 'Phone: {}'], call: ['Call me at {} tomorrow.', 'You can reach me on {}.'], mail: 'Write to me at {}.', iban: 'Please transfer the deposit to {}.', card: 'My card number is {}.', ip: 'The server answers on {}.', secret: 'The token is {}', order: 'Order number {}', invoice: 'Invoice no. {}', customer: 'Customer number {}', tracking: 'Tracking number {}', date: 'The meeting is on {}.', time: 'See you at {}.', price: 'It costs {}.', percent: 'Discount: {}', zip: 'Postcode {}', version: 'Updated to version {}.', coords: 'Coordinates: {}' },
  af: { tel: ['Tel.: {}', 'Telefoon: {}'], call: ['Bel my by {} more.'], mail: 'Skryf aan my by {}.', iban: 'Betaal asseblief die deposito in {}.', card: 'My kaartnommer is {}.', ip: 'Die bediener is op {}.', secret: 'Die token is {}', order: 'Bestelnommer {}', invoice: 'Faktuur nr. {}', customer: 'Kliëntnommer {}', tracking: 'Naspoornommer {}', date: 'Die vergadering is op {}.', time: 'Sien jou om {}.', price: 'Dit kos {}.', percent: 'Afslag: {}', zip: 'Poskode {}', version: 'Opgedateer na weergawe {}.', coords: 'Koördinate: {}' },
  az: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Mənə {} nömrəsinə zəng edin.'], mail: 'Mənə {} ünvanına yazın.', iban: 'Depoziti {} hesabına köçürün.', card: 'Kart nömrəm {}.', ip: 'Server {} ünvanındadır.', secret: 'Token: {}', order: 'Sifariş nömrəsi {}', invoice: 'Faktura № {}', customer: 'Müştəri nömrəsi {}', tracking: 'İzləmə nömrəsi {}', date: 'Görüş {} tarixindədir.', time: 'Saat {} görüşək.', price: 'Qiyməti {}.', percent: 'Endirim: {}', zip: 'Poçt indeksi {}', version: 'Versiya {} yeniləndi.', coords: 'Koordinatlar: {}' },
  cs: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Zavolejte mi na {} zítra.'], mail: 'Napište mi na {}.', iban: 'Zálohu prosím pošlete na {}.', card: 'Číslo mé karty je {}.', ip: 'Server běží na {}.', secret: 'Token je {}', order: 'Číslo objednávky {}', invoice: 'Faktura č. {}', customer: 'Zákaznické číslo {}', tracking: 'Sledovací číslo {}', date: 'Schůzka je {}.', time: 'Uvidíme se v {}.', price: 'Stojí to {}.', percent: 'Sleva: {}', zip: 'PSČ {}', version: 'Aktualizováno na verzi {}.', coords: 'Souřadnice: {}' },
  cy: { tel: ['Ffôn: {}', 'Rhif ffôn: {}'], call: ['Ffoniwch fi ar {} yfory.'], mail: 'Ysgrifennwch ataf yn {}.', iban: 'Talwch y blaendal i {}.', card: 'Rhif fy ngherdyn yw {}.', ip: 'Mae’r gweinydd ar {}.', secret: 'Y tocyn yw {}', order: 'Rhif archeb {}', invoice: 'Anfoneb rhif {}', customer: 'Rhif cwsmer {}', tracking: 'Rhif olrhain {}', date: 'Mae’r cyfarfod ar {}.', time: 'Welwn ni chi am {}.', price: 'Mae’n costio {}.', percent: 'Gostyngiad: {}', zip: 'Cod post {}', version: 'Wedi’i ddiweddaru i fersiwn {}.', coords: 'Cyfesurynnau: {}' },
  da: { tel: ['Tlf.: {}', 'Telefon: {}'], call: ['Ring til mig på {} i morgen.'], mail: 'Skriv til mig på {}.', iban: 'Overfør venligst depositum til {}.', card: 'Mit kortnummer er {}.', ip: 'Serveren svarer på {}.', secret: 'Tokenet er {}', order: 'Ordrenummer {}', invoice: 'Faktura nr. {}', customer: 'Kundenummer {}', tracking: 'Sporingsnummer {}', date: 'Mødet er den {}.', time: 'Vi ses kl. {}.', price: 'Det koster {}.', percent: 'Rabat: {}', zip: 'Postnummer {}', version: 'Opdateret til version {}.', coords: 'Koordinater: {}' },
  de: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Ruf mich morgen unter {} an.', 'Sie erreichen mich unter {}.'], mail: 'Schreib mir an {}.', iban: 'Bitte überweisen Sie die Kaution auf {}.', card: 'Meine Kartennummer ist {}.', ip: 'Der Server läuft auf {}.', secret: 'Das Token lautet {}', order: 'Bestellnummer {}', invoice: 'Rechnung Nr. {}', customer: 'Kundennummer {}', tracking: 'Sendungsnummer {}', date: 'Der Termin ist am {}.', time: 'Wir sehen uns um {}.', price: 'Das kostet {}.', percent: 'Rabatt: {}', zip: 'PLZ {}', version: 'Auf Version {} aktualisiert.', coords: 'Koordinaten: {}' },
  el: { tel: ['Τηλ.: {}', 'Τηλέφωνο: {}'], call: ['Πάρε με στο {} αύριο.'], mail: 'Γράψε μου στο {}.', iban: 'Παρακαλώ μεταφέρετε την προκαταβολή στο {}.', card: 'Ο αριθμός της κάρτας μου είναι {}.', ip: 'Ο διακομιστής είναι στο {}.', secret: 'Το token είναι {}', order: 'Αριθμός παραγγελίας {}', invoice: 'Τιμολόγιο αρ. {}', customer: 'Αριθμός πελάτη {}', tracking: 'Αριθμός αποστολής {}', date: 'Η συνάντηση είναι στις {}.', time: 'Τα λέμε στις {}.', price: 'Κοστίζει {}.', percent: 'Έκπτωση: {}', zip: 'Τ.Κ. {}', version: 'Ενημερώθηκε στην έκδοση {}.', coords: 'Συντεταγμένες: {}' },
  es: { tel: ['Tel.: {}', 'Teléfono: {}'], call: ['Llámame al {} mañana.', 'Puedes llamarme al {}.'], mail: 'Escríbeme a {}.', iban: 'Por favor, transfiera la fianza a {}.', card: 'El número de mi tarjeta es {}.', ip: 'El servidor responde en {}.', secret: 'El token es {}', order: 'Número de pedido {}', invoice: 'Factura n.º {}', customer: 'Número de cliente {}', tracking: 'Número de seguimiento {}', date: 'La reunión es el {}.', time: 'Nos vemos a las {}.', price: 'Cuesta {}.', percent: 'Descuento: {}', zip: 'Código postal {}', version: 'Actualizado a la versión {}.', coords: 'Coordenadas: {}' },
  fa: { tel: ['تلفن: {}', 'تلفن همراه: {}'], call: ['فردا با {} تماس بگیرید.'], mail: 'به {} ایمیل بزنید.', iban: 'لطفاً ودیعه را به {} واریز کنید.', card: 'شماره کارت من {} است.', ip: 'سرور روی {} است.', secret: 'توکن: {}', order: 'شماره سفارش {}', invoice: 'فاکتور شماره {}', customer: 'شماره مشتری {}', tracking: 'کد رهگیری {}', date: 'جلسه در {} است.', time: 'ساعت {} می‌بینمت.', price: 'قیمت {} است.', percent: 'تخفیف: {}', zip: 'کد پستی {}', version: 'به نسخه {} به‌روز شد.', coords: 'مختصات: {}' },
  fi: { tel: ['Puh. {}', 'Puhelin: {}'], call: ['Soita minulle numeroon {} huomenna.'], mail: 'Kirjoita minulle osoitteeseen {}.', iban: 'Maksa vakuus tilille {}.', card: 'Korttini numero on {}.', ip: 'Palvelin vastaa osoitteessa {}.', secret: 'Tunnus on {}', order: 'Tilausnumero {}', invoice: 'Lasku nro {}', customer: 'Asiakasnumero {}', tracking: 'Seurantanumero {}', date: 'Kokous on {}.', time: 'Nähdään klo {}.', price: 'Se maksaa {}.', percent: 'Alennus: {}', zip: 'Postinumero {}', version: 'Päivitetty versioon {}.', coords: 'Koordinaatit: {}' },
  fr: { tel: ['Tél. : {}', 'Téléphone : {}'], call: ['Appelez-moi au {} demain.', 'Vous pouvez me joindre au {}.'], mail: 'Écrivez-moi à {}.', iban: 'Merci de virer la caution sur {}.', card: 'Mon numéro de carte est {}.', ip: 'Le serveur répond sur {}.', secret: 'Le jeton est {}', order: 'Numéro de commande {}', invoice: 'Facture n° {}', customer: 'Numéro client {}', tracking: 'Numéro de suivi {}', date: 'La réunion a lieu le {}.', time: 'Rendez-vous à {}.', price: 'Cela coûte {}.', percent: 'Remise : {}', zip: 'Code postal {}', version: 'Mis à jour vers la version {}.', coords: 'Coordonnées : {}' },
  he: { tel: ['טלפון: {}', 'נייד: {}'], call: ['התקשרו אליי ל-{} מחר.'], mail: 'כתבו לי ל-{}.', iban: 'נא להעביר את הפיקדון ל-{}.', card: 'מספר הכרטיס שלי הוא {}.', ip: 'השרת עונה ב-{}.', secret: 'הטוקן הוא {}', order: 'מספר הזמנה {}', invoice: 'חשבונית מס׳ {}', customer: 'מספר לקוח {}', tracking: 'מספר מעקב {}', date: 'הפגישה ב-{}.', time: 'נתראה ב-{}.', price: 'זה עולה {}.', percent: 'הנחה: {}', zip: 'מיקוד {}', version: 'עודכן לגרסה {}.', coords: 'קואורדינטות: {}' },
  hr: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Nazovite me na {} sutra.'], mail: 'Pišite mi na {}.', iban: 'Molimo uplatite polog na {}.', card: 'Broj moje kartice je {}.', ip: 'Poslužitelj je na {}.', secret: 'Token je {}', order: 'Broj narudžbe {}', invoice: 'Račun br. {}', customer: 'Broj kupca {}', tracking: 'Broj za praćenje {}', date: 'Sastanak je {}.', time: 'Vidimo se u {}.', price: 'Košta {}.', percent: 'Popust: {}', zip: 'Poštanski broj {}', version: 'Ažurirano na verziju {}.', coords: 'Koordinate: {}' },
  hu: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Hívjon holnap a {} számon.'], mail: 'Írjon nekem: {}.', iban: 'Kérem, utalja a kauciót erre: {}.', card: 'A kártyaszámom {}.', ip: 'A szerver címe {}.', secret: 'A token: {}', order: 'Rendelésszám {}', invoice: 'Számla sz. {}', customer: 'Ügyfélszám {}', tracking: 'Nyomkövetési szám {}', date: 'A megbeszélés {}.', time: 'Találkozzunk {} órakor.', price: 'Az ára {}.', percent: 'Kedvezmény: {}', zip: 'Irányítószám {}', version: 'Frissítve a {} verzióra.', coords: 'Koordináták: {}' },
  hy: { tel: ['Հեռ.՝ {}', 'Հեռախոս՝ {}'], call: ['Զանգահարեք ինձ {} համարով։'], mail: 'Գրեք ինձ {} հասցեով։', iban: 'Խնդրում եմ փոխանցել կանխավճարը {} հաշվին։', card: 'Իմ քարտի համարն է {}։', ip: 'Սերվերը {} հասցեում է։', secret: 'Թոքենը՝ {}', order: 'Պատվերի համար {}', invoice: 'Հաշիվ-ապրանքագիր № {}', customer: 'Հաճախորդի համար {}', tracking: 'Հետևման համար {}', date: 'Հանդիպումը {}-ին է։', time: 'Կհանդիպենք {}-ին։', price: 'Արժե {}։', percent: 'Զեղչ՝ {}', zip: 'Փոստային ինդեքս {}', version: 'Թարմացվել է {} տարբերակին։', coords: 'Կոորդինատներ՝ {}' },
  id: { tel: ['Telp.: {}', 'Telepon: {}'], call: ['Hubungi saya di {} besok.'], mail: 'Kirim email ke {}.', iban: 'Silakan transfer deposit ke {}.', card: 'Nomor kartu saya {}.', ip: 'Server berjalan di {}.', secret: 'Tokennya {}', order: 'Nomor pesanan {}', invoice: 'Faktur no. {}', customer: 'Nomor pelanggan {}', tracking: 'Nomor resi {}', date: 'Rapatnya pada {}.', time: 'Sampai jumpa pukul {}.', price: 'Harganya {}.', percent: 'Diskon: {}', zip: 'Kode pos {}', version: 'Diperbarui ke versi {}.', coords: 'Koordinat: {}' },
  it: { tel: ['Tel.: {}', 'Telefono: {}'], call: ['Chiamami al {} domani.', 'Mi trovi al {}.'], mail: 'Scrivimi a {}.', iban: 'Si prega di versare la caparra su {}.', card: 'Il numero della mia carta è {}.', ip: 'Il server risponde su {}.', secret: 'Il token è {}', order: 'Numero ordine {}', invoice: 'Fattura n. {}', customer: 'Codice cliente {}', tracking: 'Numero di spedizione {}', date: 'La riunione è il {}.', time: 'Ci vediamo alle {}.', price: 'Costa {}.', percent: 'Sconto: {}', zip: 'CAP {}', version: 'Aggiornato alla versione {}.', coords: 'Coordinate: {}' },
  ja: { tel: ['電話：{}', 'TEL：{}'], call: ['明日{}までお電話ください。'], mail: '{}までメールしてください。', iban: '保証金を{}に振り込んでください。', card: 'カード番号は{}です。', ip: 'サーバーは{}で応答します。', secret: 'トークンは{}です', order: '注文番号 {}', invoice: '請求書番号 {}', customer: '会員番号 {}', tracking: '追跡番号 {}', date: '会議は{}です。', time: '{}に会いましょう。', price: '価格は{}です。', percent: '割引：{}', zip: '〒{}', version: 'バージョン{}に更新しました。', coords: '座標：{}' },
  ka: { tel: ['ტელ.: {}', 'ტელეფონი: {}'], call: ['დამირეკეთ {} ნომერზე ხვალ.'], mail: 'მომწერეთ {} მისამართზე.', iban: 'გთხოვთ, გადარიცხოთ დეპოზიტი {} ანგარიშზე.', card: 'ჩემი ბარათის ნომერია {}.', ip: 'სერვერი {} მისამართზეა.', secret: 'ტოკენი: {}', order: 'შეკვეთის ნომერი {}', invoice: 'ინვოისი № {}', customer: 'კლიენტის ნომერი {}', tracking: 'თრექინგის ნომერი {}', date: 'შეხვედრა {}-ს არის.', time: 'შევხვდეთ {}-ზე.', price: 'ღირს {}.', percent: 'ფასდაკლება: {}', zip: 'საფოსტო ინდექსი {}', version: 'განახლდა ვერსიამდე {}.', coords: 'კოორდინატები: {}' },
  ko: { tel: ['전화: {}', '연락처: {}'], call: ['내일 {}로 전화 주세요.'], mail: '{}로 메일 주세요.', iban: '보증금을 {}로 송금해 주세요.', card: '제 카드 번호는 {}입니다.', ip: '서버는 {}에서 응답합니다.', secret: '토큰은 {}입니다', order: '주문번호 {}', invoice: '송장 번호 {}', customer: '고객번호 {}', tracking: '운송장 번호 {}', date: '회의는 {}입니다.', time: '{}에 만나요.', price: '가격은 {}입니다.', percent: '할인: {}', zip: '우편번호 {}', version: '버전 {}으로 업데이트했습니다.', coords: '좌표: {}' },
  lv: { tel: ['Tālr.: {}', 'Tālrunis: {}'], call: ['Zvaniet man uz {} rīt.'], mail: 'Rakstiet man uz {}.', iban: 'Lūdzu, pārskaitiet depozītu uz {}.', card: 'Manas kartes numurs ir {}.', ip: 'Serveris atbild uz {}.', secret: 'Marķieris ir {}', order: 'Pasūtījuma numurs {}', invoice: 'Rēķins Nr. {}', customer: 'Klienta numurs {}', tracking: 'Izsekošanas numurs {}', date: 'Sapulce ir {}.', time: 'Tiekamies {}.', price: 'Tas maksā {}.', percent: 'Atlaide: {}', zip: 'Pasta indekss {}', version: 'Atjaunināts uz versiju {}.', coords: 'Koordinātas: {}' },
  mk: { tel: ['Тел.: {}', 'Телефон: {}'], call: ['Јавете ми се на {} утре.'], mail: 'Пишете ми на {}.', iban: 'Ве молиме уплатете го депозитот на {}.', card: 'Бројот на мојата картичка е {}.', ip: 'Серверот е на {}.', secret: 'Токенот е {}', order: 'Број на нарачка {}', invoice: 'Фактура бр. {}', customer: 'Број на клиент {}', tracking: 'Број за следење {}', date: 'Состанокот е на {}.', time: 'Се гледаме во {}.', price: 'Чини {}.', percent: 'Попуст: {}', zip: 'Поштенски број {}', version: 'Ажурирано на верзија {}.', coords: 'Координати: {}' },
  nb: { tel: ['Tlf.: {}', 'Telefon: {}'], call: ['Ring meg på {} i morgen.'], mail: 'Skriv til meg på {}.', iban: 'Vennligst overfør depositumet til {}.', card: 'Kortnummeret mitt er {}.', ip: 'Serveren svarer på {}.', secret: 'Tokenet er {}', order: 'Ordrenummer {}', invoice: 'Faktura nr. {}', customer: 'Kundenummer {}', tracking: 'Sporingsnummer {}', date: 'Møtet er {}.', time: 'Vi ses kl. {}.', price: 'Det koster {}.', percent: 'Rabatt: {}', zip: 'Postnummer {}', version: 'Oppdatert til versjon {}.', coords: 'Koordinater: {}' },
  ne: { tel: ['फोन: {}', 'मोबाइल: {}'], call: ['भोलि मलाई {} मा फोन गर्नुहोस्।'], mail: 'मलाई {} मा इमेल गर्नुहोस्।', iban: 'कृपया धरौटी {} मा पठाउनुहोस्।', card: 'मेरो कार्ड नम्बर {} हो।', ip: 'सर्भर {} मा छ।', secret: 'टोकन {} हो', order: 'अर्डर नम्बर {}', invoice: 'बिल नं. {}', customer: 'ग्राहक नम्बर {}', tracking: 'ट्र्याकिङ नम्बर {}', date: 'बैठक {} मा छ।', time: '{} मा भेटौँ।', price: 'यसको मूल्य {} हो।', percent: 'छुट: {}', zip: 'हुलाक कोड {}', version: 'संस्करण {} मा अद्यावधिक गरियो।', coords: 'निर्देशांक: {}' },
  nl: { tel: ['Tel.: {}', 'Telefoon: {}'], call: ['Bel me morgen op {}.', 'Je kunt me bereiken op {}.'], mail: 'Mail me op {}.', iban: 'Maak de borg over naar {}.', card: 'Mijn kaartnummer is {}.', ip: 'De server draait op {}.', secret: 'Het token is {}', order: 'Bestelnummer {}', invoice: 'Factuur nr. {}', customer: 'Klantnummer {}', tracking: 'Trackingnummer {}', date: 'De vergadering is op {}.', time: 'Tot {}.', price: 'Het kost {}.', percent: 'Korting: {}', zip: 'Postcode {}', version: 'Bijgewerkt naar versie {}.', coords: 'Coördinaten: {}' },
  pl: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Zadzwoń do mnie pod {} jutro.'], mail: 'Napisz do mnie na {}.', iban: 'Proszę przelać kaucję na {}.', card: 'Numer mojej karty to {}.', ip: 'Serwer działa pod {}.', secret: 'Token to {}', order: 'Numer zamówienia {}', invoice: 'Faktura nr {}', customer: 'Numer klienta {}', tracking: 'Numer przesyłki {}', date: 'Spotkanie jest {}.', time: 'Widzimy się o {}.', price: 'Kosztuje {}.', percent: 'Rabat: {}', zip: 'Kod pocztowy {}', version: 'Zaktualizowano do wersji {}.', coords: 'Współrzędne: {}' },
  pt: { tel: ['Tel.: {}', 'Telefone: {}'], call: ['Ligue para mim no {} amanhã.', 'Pode ligar-me para o {}.'], mail: 'Escreva-me para {}.', iban: 'Por favor, transfira a caução para {}.', card: 'O número do meu cartão é {}.', ip: 'O servidor responde em {}.', secret: 'O token é {}', order: 'Número do pedido {}', invoice: 'Fatura n.º {}', customer: 'Número de cliente {}', tracking: 'Código de rastreio {}', date: 'A reunião é em {}.', time: 'Até às {}.', price: 'Custa {}.', percent: 'Desconto: {}', zip: 'CEP {}', version: 'Atualizado para a versão {}.', coords: 'Coordenadas: {}' },
  ro: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Sunați-mă la {} mâine.'], mail: 'Scrieți-mi la {}.', iban: 'Vă rog să virați garanția în {}.', card: 'Numărul cardului meu este {}.', ip: 'Serverul răspunde la {}.', secret: 'Tokenul este {}', order: 'Număr comandă {}', invoice: 'Factura nr. {}', customer: 'Cod client {}', tracking: 'Număr de urmărire {}', date: 'Ședința este pe {}.', time: 'Ne vedem la {}.', price: 'Costă {}.', percent: 'Reducere: {}', zip: 'Cod poștal {}', version: 'Actualizat la versiunea {}.', coords: 'Coordonate: {}' },
  ru: { tel: ['Тел.: {}', 'Телефон: {}'], call: ['Позвоните мне завтра по номеру {}.'], mail: 'Напишите мне на {}.', iban: 'Пожалуйста, переведите залог на {}.', card: 'Номер моей карты {}.', ip: 'Сервер отвечает на {}.', secret: 'Токен: {}', order: 'Номер заказа {}', invoice: 'Счёт № {}', customer: 'Номер клиента {}', tracking: 'Трек-номер {}', date: 'Встреча {}.', time: 'Увидимся в {}.', price: 'Стоит {}.', percent: 'Скидка: {}', zip: 'Индекс {}', version: 'Обновлено до версии {}.', coords: 'Координаты: {}' },
  sk: { tel: ['Tel.: {}', 'Telefón: {}'], call: ['Zavolajte mi na {} zajtra.'], mail: 'Napíšte mi na {}.', iban: 'Zálohu prosím pošlite na {}.', card: 'Číslo mojej karty je {}.', ip: 'Server beží na {}.', secret: 'Token je {}', order: 'Číslo objednávky {}', invoice: 'Faktúra č. {}', customer: 'Zákaznícke číslo {}', tracking: 'Sledovacie číslo {}', date: 'Stretnutie je {}.', time: 'Uvidíme sa o {}.', price: 'Stojí to {}.', percent: 'Zľava: {}', zip: 'PSČ {}', version: 'Aktualizované na verziu {}.', coords: 'Súradnice: {}' },
  sr: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Pozovite me na {} sutra.'], mail: 'Pišite mi na {}.', iban: 'Molimo uplatite depozit na {}.', card: 'Broj moje kartice je {}.', ip: 'Server je na {}.', secret: 'Token je {}', order: 'Broj porudžbine {}', invoice: 'Faktura br. {}', customer: 'Broj kupca {}', tracking: 'Broj pošiljke {}', date: 'Sastanak je {}.', time: 'Vidimo se u {}.', price: 'Košta {}.', percent: 'Popust: {}', zip: 'Poštanski broj {}', version: 'Ažurirano na verziju {}.', coords: 'Koordinate: {}' },
  sv: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Ring mig på {} i morgon.'], mail: 'Skriv till mig på {}.', iban: 'Vänligen överför depositionen till {}.', card: 'Mitt kortnummer är {}.', ip: 'Servern svarar på {}.', secret: 'Token är {}', order: 'Ordernummer {}', invoice: 'Faktura nr {}', customer: 'Kundnummer {}', tracking: 'Spårningsnummer {}', date: 'Mötet är {}.', time: 'Vi ses kl. {}.', price: 'Det kostar {}.', percent: 'Rabatt: {}', zip: 'Postnummer {}', version: 'Uppdaterad till version {}.', coords: 'Koordinater: {}' },
  th: { tel: ['โทร: {}', 'เบอร์โทรศัพท์: {}'], call: ['พรุ่งนี้โทรหาฉันที่ {}'], mail: 'ส่งอีเมลถึงฉันที่ {}', iban: 'กรุณาโอนเงินมัดจำไปที่ {}', card: 'หมายเลขบัตรของฉันคือ {}', ip: 'เซิร์ฟเวอร์อยู่ที่ {}', secret: 'โทเค็นคือ {}', order: 'หมายเลขคำสั่งซื้อ {}', invoice: 'ใบแจ้งหนี้เลขที่ {}', customer: 'รหัสลูกค้า {}', tracking: 'เลขพัสดุ {}', date: 'ประชุมวันที่ {}', time: 'เจอกันเวลา {}', price: 'ราคา {}', percent: 'ส่วนลด: {}', zip: 'รหัสไปรษณีย์ {}', version: 'อัปเดตเป็นเวอร์ชัน {}', coords: 'พิกัด: {}' },
  tr: { tel: ['Tel.: {}', 'Telefon: {}'], call: ['Yarın beni {} numarasından arayın.'], mail: 'Bana {} adresine yazın.', iban: 'Lütfen depozitoyu {} hesabına gönderin.', card: 'Kart numaram {}.', ip: 'Sunucu {} adresinde.', secret: 'Token: {}', order: 'Sipariş numarası {}', invoice: 'Fatura no. {}', customer: 'Müşteri numarası {}', tracking: 'Kargo takip numarası {}', date: 'Toplantı {} tarihinde.', time: 'Saat {} görüşürüz.', price: 'Fiyatı {}.', percent: 'İndirim: {}', zip: 'Posta kodu {}', version: '{} sürümüne güncellendi.', coords: 'Koordinatlar: {}' },
  uk: { tel: ['Тел.: {}', 'Телефон: {}'], call: ['Зателефонуйте мені завтра за номером {}.'], mail: 'Напишіть мені на {}.', iban: 'Будь ласка, перерахуйте заставу на {}.', card: 'Номер моєї картки {}.', ip: 'Сервер відповідає на {}.', secret: 'Токен: {}', order: 'Номер замовлення {}', invoice: 'Рахунок № {}', customer: 'Номер клієнта {}', tracking: 'Номер відправлення {}', date: 'Зустріч {}.', time: 'Побачимось о {}.', price: 'Коштує {}.', percent: 'Знижка: {}', zip: 'Індекс {}', version: 'Оновлено до версії {}.', coords: 'Координати: {}' },
  vi: { tel: ['ĐT: {}', 'Điện thoại: {}'], call: ['Gọi cho tôi theo số {} ngày mai.'], mail: 'Gửi email cho tôi tại {}.', iban: 'Vui lòng chuyển tiền đặt cọc vào {}.', card: 'Số thẻ của tôi là {}.', ip: 'Máy chủ chạy ở {}.', secret: 'Token là {}', order: 'Mã đơn hàng {}', invoice: 'Hóa đơn số {}', customer: 'Mã khách hàng {}', tracking: 'Mã vận đơn {}', date: 'Cuộc họp vào {}.', time: 'Hẹn gặp lúc {}.', price: 'Giá {}.', percent: 'Giảm giá: {}', zip: 'Mã bưu chính {}', version: 'Đã cập nhật lên phiên bản {}.', coords: 'Tọa độ: {}' },
  zh: { tel: ['电话：{}', '手机：{}'], call: ['明天请拨打{}找我。'], mail: '请发邮件到{}。', iban: '请把押金转到{}。', card: '我的卡号是{}。', ip: '服务器地址是{}。', secret: '令牌是{}', order: '订单号 {}', invoice: '发票号码 {}', customer: '客户编号 {}', tracking: '运单号 {}', date: '会议在{}。', time: '{}见。', price: '价格{}。', percent: '折扣：{}', zip: '邮编 {}', version: '已更新到版本{}。', coords: '坐标：{}' },
};
T.zh_TW = {
  ...T.zh,
  tel: ['電話：{}', '手機：{}'],
  call: ['明天請撥打{}找我。'],
  mail: '請寄信到{}。',
  order: '訂單編號 {}',
  invoice: '發票號碼 {}',
  customer: '客戶編號 {}',
  tracking: '貨運單號 {}',
  zip: '郵遞區號 {}',
};

// ---- helpers ----
/** A locale without the data for a faker call (postcodes, cities): the fallback's value. */
function orElse(fn, fallback) {
  try {
    return fn();
  } catch {
    return fallback();
  }
}
const digitsOf = (s) => s.replace(/\D/g, '');
const metadata = new Metadata(metadataJson);
/** Faker's phone format symbols: `#` any digit, `!` 2–9. */
function fill(f, format) {
  return format.replace(/[#!]/g, (c) => String(c === '#' ? f.number.int(9) : f.number.int({ min: 2, max: 9 })));
}
/** The number with its country's calling code: `+CC` then the national digits, the country's trunk prefix (libphonenumber's metadata: `0`, Hungary's `06`, Russia's `8`) dropped, groups kept. */
function international(number, country, format) {
  const cc = getCountryCallingCode(country);
  const t = number.trim();
  if (t.startsWith('+')) return t;
  // Formats that already write the calling code (`00385 …`, `(371)6…`, `995 5…`): only the `+` is added.
  if (format.startsWith(`00${cc}`)) return `+${t.slice(2)}`;
  if (format.startsWith(`(${cc})`)) return `+${cc} ${t.slice(cc.length + 2)}`;
  if (format.startsWith(cc)) return `+${t}`;
  metadata.selectNumberingPlan(country);
  const trunk = metadata.numberingPlan.nationalPrefix() ?? '';
  let rest = t;
  if (trunk && digitsOf(t).startsWith(trunk)) {
    // Drop the trunk's digits (and a bracket around them) from the front, whatever separates them.
    let left = trunk.length;
    let i = 0;
    while (left > 0 && i < rest.length) {
      if (/\d/.test(rest[i])) left--;
      i++;
    }
    rest = rest.slice(i);
    if (t.startsWith('(') && rest.includes(')')) rest = rest.replace(')', ' ');
  }
  return `+${cc} ${rest.replace(/^[-\s)./]+/, '').replace(/\s+/g, ' ')}`;
}
function verdict(value, country) {
  const p = parsePhoneNumberFromString(value.startsWith('00') ? `+${value.slice(2)}` : value, country);
  return p?.isValid() ? 'valid' : p?.isPossible() ? 'possible' : 'neither';
}

const items = [];
let seq = 0;
const prefix = `pii-l${SEED}-`;
const id = () => `${prefix}${String(++seq).padStart(4, '0')}`;
function push(item) {
  items.push({ id: id(), ...item, source: SOURCE });
}

const IBAN_COUNTRIES = new Set();
{
  const f0 = F.allFakers.en;
  for (const c of Object.keys(F.allLocales.base?.finance?.iban ?? {})) IBAN_COUNTRIES.add(c);
  if (IBAN_COUNTRIES.size === 0) {
    for (const c of [
      'DE',
      'FR',
      'GB',
      'ES',
      'IT',
      'NL',
      'PL',
      'AT',
      'CH',
      'BE',
      'PT',
      'SE',
      'NO',
      'DK',
      'FI',
      'IE',
      'CZ',
      'SK',
      'HU',
      'RO',
      'HR',
      'GR',
      'TR',
      'BR',
      'IL',
      'AZ',
      'GE',
      'LV',
      'MK',
      'RS',
      'UA',
      'MD',
      'LU',
      'SA',
    ])
      try {
        f0.finance.iban({ countryCode: c });
        IBAN_COUNTRIES.add(c);
      } catch {}
  }
}
const ISSUERS = ['visa', 'mastercard', 'american_express', 'discover', 'diners_club', 'jcb'];
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPDG = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function secretValue(f, k) {
  const s = (alphabet, n) => Array.from({ length: n }, () => alphabet[f.number.int(alphabet.length - 1)]).join('');
  switch (k % 6) {
    case 0:
      return { kind: 'jwt', value: f.internet.jwt() };
    case 1:
      return { kind: 'github_token', value: `ghp_${s(B62, 36)}` };
    case 2:
      return { kind: 'stripe_key', value: `sk_live_${s(B62, 24)}` };
    case 3:
      return { kind: 'slack_token', value: `xoxb-${f.string.numeric(11)}-${f.string.numeric(13)}-${s(B62, 24)}` };
    case 4:
      return { kind: 'aws_access_key', value: `AKIA${s(UPDG, 16)}` };
    default:
      return { kind: 'google_api_key', value: `AIza${s(`${B62}_-`, 35)}` };
  }
}

const locales = Object.keys(F.allLocales).filter((l) => F.allLocales[l].phone_number?.format && countryOf(l));
let localeIndex = 0;
for (const locale of locales) {
  const f = F.allFakers[locale];
  f.seed(SEED + localeIndex * 7919);
  // Dates faker makes relative to now (a JWT's `iat`) are made relative to a fixed day: the same file every run.
  f.setDefaultRefDate('2026-11-26T00:00:00Z');
  localeIndex++;
  const country = countryOf(locale);
  const lang = langOf(locale);
  const t = T[locale] ?? T[lang] ?? T.en;
  const textLang = T[locale] || T[lang] ? lang : 'en';
  const note = (extra) => `locale ${locale}, country ${country}${extra ? `; ${extra}` : ''}`;
  const frame = (tpl, value) => tpl.replace('{}', value);
  const tag = bcp47(locale);

  // ---- phones: every style's formats in turn, nationally and with +CC ----
  const formats = [];
  for (const [style, list] of Object.entries(F.allLocales[locale].phone_number.format)) for (const fm of list) formats.push({ style, fm });
  const order = f.helpers.shuffle(formats.map((_, i) => i));
  const nPhones = 4 * SCALE;
  for (let k = 0; k < nPhones; k++) {
    const { style, fm } = formats[order[k % order.length]];
    let number = fill(f, fm);
    const ext = / x\d+$/.exec(number);
    const core = ext ? number.slice(0, ext.index) : number;
    // Every other national number is written with its country's calling code instead.
    const intl = k % 2 === 1 && !core.startsWith('+');
    const value = intl ? international(core, country, fm) : core;
    number = value + (ext ? ext[0] : '');
    const how = k % 3; // 0: a label, 1: a call verb, 2: a signature line after a name (no label)
    const text =
      how === 0
        ? frame(t.tel[k % t.tel.length], number)
        : how === 1
          ? frame(t.call[k % t.call.length], number)
          : `${orElse(
              () => f.person.fullName(),
              () => 'Alex Kim',
            )} · ${number}`;
    push({
      text,
      label: 'positive',
      category: 'phone',
      expect: [{ kind: 'phone', value }],
      lang: textLang,
      note: note(
        `style ${style}${intl ? ' with +CC' : ''}, format "${fm}", context ${['label', 'call verb', 'signature'][how]}, libphonenumber: ${verdict(value, country)}`,
      ),
    });
  }

  // ---- other positives, each kind in turn ----
  const nOther = 3 * SCALE;
  for (let k = 0; k < nOther; k++) {
    const kind = ['email', 'iban', 'card', 'ip', 'secret'][(localeIndex + k) % 5];
    if (kind === 'email') {
      const value = f.internet.email();
      push({ text: frame(t.mail, value), label: 'positive', category: 'email', expect: [{ kind: 'email', value }], lang: textLang, note: note() });
    } else if (kind === 'iban') {
      const cc = IBAN_COUNTRIES.has(country) ? country : f.helpers.arrayElement([...IBAN_COUNTRIES]);
      const value = f.finance.iban({ formatted: f.datatype.boolean(), countryCode: cc });
      push({ text: frame(t.iban, value), label: 'positive', category: 'iban', expect: [{ kind: 'iban', value }], lang: textLang, note: note(`IBAN of ${cc}`) });
    } else if (kind === 'card') {
      const issuer = ISSUERS[(localeIndex * 3 + k) % ISSUERS.length];
      const value = f.finance.creditCardNumber(issuer);
      push({
        text: frame(t.card, value),
        label: 'positive',
        category: 'card',
        expect: [{ kind: 'card', value }],
        lang: textLang,
        note: note(`issuer ${issuer}`),
      });
    } else if (kind === 'ip') {
      const v6 = (localeIndex + k) % 2 === 1;
      const value = v6 ? f.internet.ipv6() : f.internet.ipv4();
      push({
        text: frame(t.ip, value),
        label: 'positive',
        category: 'ip',
        expect: [{ kind: v6 ? 'ipv6' : 'ipv4', value }],
        lang: textLang,
        note: note(v6 ? 'IPv6' : 'IPv4'),
      });
    } else {
      const { kind: sk, value } = secretValue(f, localeIndex + k);
      push({ text: frame(t.secret, value), label: 'positive', category: 'secret', expect: [{ kind: sk, value }], lang: textLang, note: note(sk) });
    }
  }

  // ---- look-alike negatives ----
  const nNeg = 4 * SCALE;
  const currency = CURRENCY[country] ?? 'EUR';
  for (let k = 0; k < nNeg; k++) {
    const which = (localeIndex * 5 + k) % 14;
    let text;
    let category = 'phone';
    let what;
    const d = f.date.between({ from: '2020-01-01', to: '2030-12-31' });
    if (which === 0) {
      what = 'date';
      const style = ['short', 'medium', 'long'][k % 3];
      text = frame(t.date, new Intl.DateTimeFormat(tag, { dateStyle: style }).format(d));
    } else if (which === 1) {
      what = 'date and time';
      text = frame(t.date, new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short' }).format(d));
    } else if (which === 2) {
      what = 'price';
      text = frame(
        t.price,
        new Intl.NumberFormat(tag, { style: 'currency', currency }).format(f.number.float({ min: 100, max: 9_999_999, fractionDigits: 2 })),
      );
    } else if (which === 3) {
      what = 'percentage';
      text = frame(
        t.percent,
        new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 }).format(f.number.float({ min: 0.01, max: 0.99, fractionDigits: 3 })),
      );
    } else if (which === 4) {
      what = 'postal code';
      text = `${frame(
        t.zip,
        orElse(
          () => f.location.zipCode(),
          () => f.string.numeric(5),
        ),
      )} ${orElse(
        () => f.location.city(),
        () => '',
      )}`.trim();
    } else if (which === 5 || which === 6 || which === 7) {
      // A number of phone length named by its own word: grouped like one of the locale's phone formats, or solid.
      const word = [t.order, t.invoice, t.customer, t.tracking][(k + which) % 4];
      const fm = formats[f.number.int(formats.length - 1)].fm.replace(/^\+[#!\d]+[-\s]?/, '').replace(/ x#+$/, '');
      const value = which === 6 ? f.string.numeric({ length: f.number.int({ min: 7, max: 12 }), allowLeadingZeros: false }) : fill(f, fm);
      what = which === 6 ? 'identifier, solid digits of phone length' : `identifier grouped like the phone format "${fm}"`;
      text = frame(word, value);
    } else if (which === 8) {
      what = 'card-length reference number (Luhn-valid)';
      category = 'card';
      text = frame([t.invoice, t.tracking, t.order][k % 3], f.finance.creditCardNumber('visa').replace(/\D/g, ''));
    } else if (which === 9) {
      what = 'version string';
      category = 'ip';
      const v = f.system.semver();
      text = frame(t.version, k % 2 ? `${v}.${f.number.int(999)}` : v);
    } else if (which === 10) {
      what = 'ISBN';
      text = `ISBN ${f.commerce.isbn({ variant: k % 2 ? 10 : 13 })}`;
    } else if (which === 11) {
      what = k % 2 ? 'UUID' : 'commit SHA';
      category = 'secret';
      text = k % 2 ? `request_id=${f.string.uuid()}` : `commit ${f.git.commitSha()}`;
    } else if (which === 12) {
      what = 'coordinates';
      text = frame(t.coords, `${f.location.latitude({ precision: 6 })}, ${f.location.longitude({ precision: 6 })}`);
    } else {
      what = k % 2 ? 'MAC address' : 'BIC';
      category = k % 2 ? 'ip' : 'iban';
      text = k % 2 ? `MAC ${f.internet.mac()}` : `BIC ${f.finance.bic()}`;
    }
    push({ text, label: 'negative', category, expect: [], lang: textLang, note: note(what) });
  }
}

let out = items;
if (MAX > 0 && out.length > MAX) {
  // Trim evenly: every n-th item is dropped, so every locale and kind keeps its share.
  const drop = out.length - MAX;
  const step = out.length / drop;
  const gone = new Set(Array.from({ length: drop }, (_, i) => Math.floor(i * step + step / 2)));
  out = out.filter((_, i) => !gone.has(i));
}
writeFileSync(OUT, `${out.map((x) => JSON.stringify(x)).join('\n')}\n`);
const count = (pred) => out.filter(pred).length;
console.log(
  `${OUT}: ${out.length} items (${count((x) => x.label === 'positive')} positive, ${count((x) => x.label === 'negative')} negative), ${locales.length} locales, seed ${SEED}`,
);
