import type * as Phones from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { lazyLibrary } from '../workflows/lazy-library.js';
import { isAlnum, isDigit, type Match, type ScanBudget } from './match.js';

/** The metadata of every country (~2 MB of heap), loaded with the first phone detector that runs. */
export const phones = lazyLibrary<typeof Phones>('libphonenumber-js/max');

// libphonenumber's own text matcher backtracks for seconds on hostile input (1 MiB of "1 1 1…"):
// candidates are cut here in one linear pass, and only they are parsed, a bounded number of them.
const MAX_CANDIDATE_CHARS = 24;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

function isPhoneChar(c: number): boolean {
  // digits + ( ) - . / and a single space, and the dashes NFKC leaves as they are (‐ ‑ ‒ – — ― −), which
  // word processors put in numbers and libphonenumber reads as separators
  return isDigit(c) || c === 43 || c === 40 || c === 41 || c === 45 || c === 46 || c === 47 || c === 32 || (c >= 0x2010 && c <= 0x2015) || c === 0x2212;
}

/** What the phone detector needs: the country that numbers without `+` are read for. */
export interface PhoneOptions {
  defaultCountry?: CountryCode | undefined;
}

const MAX_VERDICTS = 10_000;

/**
 * Whether a candidate counts without a parse, once the body's parse budget is spent (a body of
 * thousands of distinct numbers): failing closed, every candidate shaped like a number someone
 * dials — `+` and 8–15 digits, or (read for a country) 10 digits or more written with separators.
 * Solid runs of digits (ids, timestamps) are not redacted unparsed.
 */
function shapedLikePhone(candidate: string, digits: number, national: boolean): boolean {
  if (candidate.charCodeAt(0) === 43) return digits >= 8;
  return national && digits >= 10 && candidate.length > digits;
}

// Dates and timestamps are digit runs with separators too: 2024-05-10 12, 10.05.2024 (no numbering plan
// starts a number this way, but a lenient parse of the digits alone can still come out valid).
const DATE = /^(?:[12][0-9]{3}[-./][01]?[0-9][-./][0-3]?[0-9]|[0-3]?[0-9][-./][01]?[0-9][-./][12][0-9]{3})(?![0-9])/;
// Opening hours and time ranges (`08.00-12.00`, `13.30 – 17.00`): two times of day joined by a dash, which no plan writes.
const TIME_RANGE = /^(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9] ?[-‐-―−] ?(?:[01]?[0-9]|2[0-3])[.:][0-5][0-9]$/;

/** The text libphonenumber is given: `00` (the international call prefix in most of the world) read as `+`. */
function asDialled(candidate: string): string {
  return candidate.startsWith('00') && candidate.charCodeAt(2) !== 48 ? `+${candidate.slice(2)}` : candidate;
}

// Countries whose national numbers start with a trunk `0`, most written first: where no country is
// configured, a number written nationally (`020 7946 0958`, `06 12 34 56 78`, `(030) 901820`) is read
// for each until one validates it.
const TRUNK_ZERO: readonly CountryCode[] = [
  'GB',
  'DE',
  'FR',
  'IT',
  'NL',
  'BE',
  'CH',
  'AT',
  'SE',
  'IE',
  'AU',
  'IN',
  'JP',
  'CN',
  'KR',
  'TR',
  'ZA',
  'NG',
  'BR',
  'AR',
  'SA',
  'AE',
  'EG',
  'IL',
  'PK',
  'ID',
  'TH',
  'MY',
  'NZ',
  'VN',
  'PH',
  'UA',
  // Trunk-0 countries of Europe, Africa and Asia that the lists above left out (faker's locales, 26 Nov 2026): read after the likelier ones.
  'RO',
  'SK',
  'FI',
  'HR',
  'RS',
  'HU',
  'GH',
  'IR',
  'AZ',
  'AM',
  'GE',
  'MK',
  'MD',
  'TW',
  'NP',
];
const US: readonly CountryCode[] = ['US'];
const CN: readonly CountryCode[] = ['CN'];
const TRUNK_EIGHT: readonly CountryCode[] = ['RU', 'KZ'];
const BR: readonly CountryCode[] = ['BR'];
// Brazil's two-digit area code in brackets, then 4-4 or 5-4 (`(11) 98765-4321`): how Brazil writes every number.
const BR_SHAPE = /^\([1-9][0-9]\) ?9?[0-9]{4}-[0-9]{4}$/;
// Russia's and Kazakhstan's code of three in brackets without the trunk 8, then 3-2-2 (`(912) 345-67-89`).
const RU_SHAPE = /^\([3-9][0-9]{2}\) ?[0-9]{3}-[0-9]{2}-[0-9]{2}$/;
// A Chinese mobile as it is written, 3-4-4 with spaces or dashes (`138 0013 8000`): China writes mobiles without its trunk 0.
const CN_MOBILE = /^1[3-9][0-9][ -][0-9]{4}[ -][0-9]{4}$/;
// Russia's and Kazakhstan's trunk 8 before a bracketed or separated code of three (`8 (912) 345-67-89`, `8-912-345-67-89`).
const EIGHT = /^8[ -]?(?:\([0-9]{3}\) ?|[0-9]{3}[ -])[0-9]{3}[ -]?[0-9]{2}[ -]?[0-9]{2}$/;
// `(415) 555-2671`, `415-555-2671`, `415.555.2671`: the North American plan's three groups.
// A trunk 0 in a group of two digits or more (`020 …`, `(030) …`, `06 12 …`), then a separator: not `0.10.12345`;
// or a trunk 0 written apart before a bracketed area code, as Turkey writes it (`0 (212) 345 67 89`).
const TRUNK = /^(?:0[0-9]+[ ./-]|\(0[0-9]+\) ?|0 ?\([1-9][0-9]+\) ?)[0-9]/;
const ZIP4 = /^[0-9]{5}-[0-9]{4}$/;
// A national mobile written solid with its trunk 0 (`08068687661`, `0755140445`, `0813453165`), ten or eleven digits.
const SOLID_TRUNK = /^0[1-9][0-9]{8,9}$/;
// A calling code of one to three digits in brackets, then the national number (`(371)65065236`).
const BRACKETED_CC = /^\(([1-9][0-9]{0,2})\) ?(?=[0-9])/;
// Brazil's CEP (`01310-100`): a postal code, in a shape no numbering plan writes.
const CEP = /^[0-9]{5}-[0-9]{3}$/;
const SSN = /^[0-9]{3}-[0-9]{2}-[0-9]{4}$/;

/** Words that introduce a number as an identifier (an order, a document, a person's id), in the languages the corpora hold. */
const IDENTIFIER_WORDS = new Set([
  'order',
  'invoice',
  'ref',
  'reference',
  'ticket',
  'case',
  'part',
  'sku',
  'serial',
  'isbn',
  'issn',
  'doi',
  'account',
  'acct',
  'id',
  'n',
  'no',
  'nr',
  'num',
  'number',
  'tracking',
  'po',
  'lot',
  'batch',
  'build',
  'version',
  'ssn',
  'nino',
  'insee',
  'dni',
  'nie',
  'cpf',
  'cnpj',
  'aadhaar',
  'pan',
  'bsn',
  'passport',
  'licence',
  'license',
  'code',
  'imei',
  'imsi',
  'iccid',
  'meid',
  'esn',
  'ean',
  'gtin',
  'upc',
  'vin',
  'nip',
  'regon',
  'krs',
  'pesel',
  'zip',
  'postcode',
  'postal',
  'plz',
  'postleitzahl',
  'cp',
  'npa',
  'cap',
  'pincode',
  'индекс',
  'pocztowy',
  'bestellung',
  'rechnung',
  'rechnungsnummer',
  'bestellnummer',
  'kundennummer',
  'aktenzeichen',
  'commande',
  'facture',
  'dossier',
  'pedido',
  'factura',
  'fattura',
  'ordine',
  'zamówienie',
  'faktura',
  'заказ',
  'счет',
  // The same words in more of the world's languages (order, invoice, customer, shipment): Welsh, Afrikaans, Greek, Hebrew,
  // Armenian, Georgian, Finnish, the Slavic and Baltic languages, Hungarian, Turkish, Indonesian, Persian, Nepali.
  'archeb',
  'anfoneb',
  'faktuur',
  'τιμολόγιο',
  'παραγγελία',
  'παραγγελίας',
  'πελάτη',
  'αποστολής',
  'הזמנה',
  'חשבונית',
  'לקוח',
  'מעקב',
  'kupca',
  'kupac',
  'narudžbe',
  'porudžbine',
  'račun',
  'pošiljke',
  'rendelésszám',
  'számla',
  'ügyfélszám',
  'pesanan',
  'resi',
  'سفارش',
  'فاکتور',
  'رهگیری',
  'अर्डर',
  'बिल',
  'đơn',
]);

/**
 * Stems of words that name a number an identifier when a word starts with them — compounds and abbreviations
 * (`Rechnungsnr.`, `Kundennummer`, `Seriennr.`, `Membership`, `Paketnummer`) — in the languages the corpora hold.
 * A plural (`Bookings 020 …`, `Claims 0800 …`) is a line's name on a contact list: it stays a phone.
 */
const IDENTIFIER_STEMS =
  /^(?:invoice|order|product|produkt|produit|producto|prodotto|model|código|codice|kod|код|ticket|booking|reservation|confirmation|claim|policy|member|customer|voucher|coupon|serial|shipment|parcel|consignment|tracking|article|reference|rechnung|bestell|kunden|sendung|serien|vorgang|aktenzeichen|paket|lieferschein|auftrag|referenz|artikel|vertrag|facture|commande|réservation|colis|pedido|factura|reserva|fattura|ordine|prenotazione|bestel|factuur|boeking|encomenda|fatura|zamówieni|faktur|заказ|сч[её]т|накладн|артикул|договор|ordre|sporing|spårning|asiakasnumero|asiakasnro|tilaus|lasku|seuranta|objednávk|sledovac|comand|pasūtījum|rēķin|izsekošan|sipariş|sifariş|müştəri|izləmə|замовлен|відправлен|нарачк|фактур|պատվեր|հաշիվ|հաճախորդ|հետ(?:և|եւ)ման|შეკვეთ|ინვოის|კლიენტ|თრექინგ|τιμολ|παραγγελ|αποστολ|spedizion|urmărir|urmarir)/;

/** The same words in scripts written without spaces (`订单号`, `고객번호`, `注文番号`): found inside the run of letters before a number. */
// Customer-service lines (`客户服务`, `고객센터`) are phone numbers: only a customer's *number* (`客户编号`, `고객번호`) names an identifier.
const IDENTIFIER_INSIDE =
  /订单|訂單|客户编号|客户号|客戶編號|发票|發票|运单|運單|单号|單號|注文|請求|会員番号|伝票|追跡|주문|고객번호|송장|운송장|회원번호|예약번호|คำสั่งซื้อ|ใบแจ้งหนี้|รหัสลูกค้า|เลขพัสดุ/;

/** Words that say "number" before the number itself, in more languages (the word before them names what it numbers). */
const ID_NUMBER_WORDS = new Set([
  'číslo',
  'broj',
  'număr',
  'numărul',
  'ნომერი',
  'number',
  'nummer',
  'numéro',
  'número',
  'numero',
  'numer',
  'номер',
  'nomor',
  'numarası',
  'համար',
  'αριθμός',
  'מספר',
  'số',
]);

/** Verbs that say "is" between a label and its value, in the languages the corpora hold. */
const COPULAS = new Set(['is', 'was', 'ist', 'lautet', 'est', 'es', 'è', 'é', 'jest', 'är', 'er', 'это', 'является']);

/** Words that say "number" and nothing about what it numbers. */
const NUMBER_WORDS = new Set(['number', 'nummer', 'numéro', 'número', 'numero', 'numer', 'номер', 'no', 'nr', 'num']);

/** Whether the word before a number (past `:`, `#`, `.`, `º` and spaces) names it an identifier: `Order 0123-4567`, `Rechnung Nr. 0815-22`, `Rechnungsnr. 0711 …`. */
function introducedAsIdentifier(text: string, at: number): boolean {
  let e = at;
  while (e > 0 && at - e < 4 && /[\s:#.º°-]/.test(text[e - 1]!)) e--;
  // Japan's postal mark (`〒100-0005`) names a postal code as a word would.
  if (text.charCodeAt(e - 1) === 0x3012) return true;
  let b = e;
  while (b > 0 && e - b < 20 && /[\p{L}\p{M}]/u.test(text[b - 1]!)) b--;
  if (b === e) return false;
  let word = text.slice(b, e).toLowerCase();
  // `Sledovací číslo 0982 …`, `Numero di spedizione …`, `თრექინგის ნომერი …`: past a word that only says "number", the word before it decides.
  if (ID_NUMBER_WORDS.has(word) && text.charCodeAt(b - 1) === 32) {
    const e2 = b - 1;
    let b2 = e2;
    while (b2 > 0 && e2 - b2 < 20 && /[\p{L}\p{M}]/u.test(text[b2 - 1]!)) b2--;
    const previous = text.slice(b2, e2).toLowerCase();
    if (b2 < e2 && (IDENTIFIER_WORDS.has(previous) || IDENTIFIER_STEMS.test(previous))) return true;
  }
  // A verb that says "is" stands between a label and its number (`Ihre Bestellnummer lautet 030 …`, `the order number is 415…`);
  // past it a bare "number" says nothing by itself, so the word before that decides (`order number is` / `phone number is`).
  if (COPULAS.has(word) && text.charCodeAt(b - 1) === 32) {
    for (let words = 0; words < 2; words++) {
      e = b - 1;
      b = e;
      while (b > 0 && e - b < 20 && /\p{L}/u.test(text[b - 1]!)) b--;
      if (b === e) return false;
      word = text.slice(b, e).toLowerCase();
      if (!NUMBER_WORDS.has(word) || text.charCodeAt(b - 1) !== 32) break;
    }
    if (NUMBER_WORDS.has(word)) return false;
  }
  // An area or dialling code is part of a phone number, every other code names something else.
  if (word === 'code' && /(?:area|dial|dialing|dialling)\s+$/i.test(text.slice(Math.max(0, b - 12), b))) return false;
  if (IDENTIFIER_WORDS.has(word)) return true;
  const stem = IDENTIFIER_STEMS.exec(word);
  if (stem !== null) return word !== `${stem[0]}s`;
  // Hangul, CJK and Thai run a label's words together; U+0E00 and up.
  return word.charCodeAt(word.length - 1) >= 0xe00 && IDENTIFIER_INSIDE.test(word);
}
// With or without the country's own `1` before it (`1-800-555-0199`, `1 (800) 555-0199`).
const NANP = /^(?:1[-. ]?)?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[-. ])[2-9][0-9]{2}[-. ][0-9]{4}$/;

/**
 * Words that introduce what follows as a phone number, in the languages contact details are written
 * in (`Tel.:`, `mobile`, `Handy`, `téléphone`, `手机`…), with an optional "number" word after them.
 * A call verb and up to two short words (`call me at`, `llame al`, `chiama il`, `zadzwoń pod`) introduce one too.
 * A number its own text calls a phone number is one, in whatever country's format and whether or not
 * its range is allocated (`07700 900123`, the range the UK keeps for examples, is what test data uses).
 */
const PHONE_LABEL =
  /(?:^|[^\p{L}])(?:(?:tel|tél|telp|telefon|telephone|téléphone|telefone|telefoon|telefono|teléfono|telefón|telèfon|telepon|tlf|tfn|puh|puhelin|tālr|tālrunis|ffôn|ffon|телефон|тел|հեռ|հեռախոս|ტელ|ტელეფონი|мобильный|τηλ|τηλέφωνο|κινητό|phone|ph|mobile|mob|mobil|mobiel|móvil|handy|cell|cellphone|cellulare|celular|telemóvel|portable|fax|hotline|whatsapp|sms|gsm|call|komórka|telefonu|моб|sđt|đt|điện thoại|di động|फ़ोन|फोन|मोबाइल)\.?\s*(?:n[°ºo]\.?|nr\.?|no\.?|number|nummer|numéro|número|numero|номер|nomor|नंबर|#)?|(?:call|ring|dial|text|rufen|ruf|anrufen|appelez|appeler|appelle|llame|llama|llámame|llamar|llámanos|chiama|chiamare|chiamami|chiamaci|ligue|liga|ligar|bel|zadzwoń|dzwoń|звоните|позвоните|позвонить|ringa|soita|zavolejte|zavolajte|zavolaj|pozovite|pozovi|nazovite|nazovi|gọi|πάρε|πάρτε|καλέστε|τηλεφωνήστε|hívjon|hívj|bellen|belt|зателефонуйте|подзвоніть|զանգահարեք|զանգեք|დამირეკეთ|დარეკეთ|arayın)(?:-\p{L}{1,4})?(?:\s+\p{L}{1,6}){0,3}(?:\s+(?:số|number|nummer|numéro|número|numero|номер|numer|numerem))?)\s*[:：՝]?\s*$/iu;

/**
 * The same labels in scripts written without spaces (`收货人手机：`, `お問い合わせ電話：`) and after Arabic's and Hebrew's
 * prefixed articles (`رقم الجوال:`): letters run into them, so no word boundary is asked for. Tried only after a letter of those scripts.
 */
const PHONE_LABEL_UNSPACED =
  /(?:電話|电话|手机|手機|携帯|전화|휴대폰|핸드폰|هاتف|جوال|موبايل|تلفن|موبایل|واتساب|טלפון|נייד|התקשרו(?: אליי| אלינו)?|התקשר(?: אליי| אלינו)?|חייגו|โทร|เบอร์)(?:番号|号码|號碼|号|번호)?\s*[:：]?\s*$/u;

/**
 * Languages that put the verb last say "call at this number" after it (`明日06…までお電話ください`, `…번으로 전화`,
 * `… numarasından arayın`, `… nömrəsinə zəng edin`, `… համարով`, `… ნომერზე`, `… تماس بگیرید`, `… पर कॉल करें`).
 */
const PHONE_LABEL_AFTER =
  /^\s*(?:まで|に|へ)?お?電話|^\s*(?:번으로|번호로|로|으로)\s*(?:전화|연락)|^\s*(?:numaras[ıi]ndan|numaral[ıi])\s|^\s*nömrəsinə\s+zəng|^\s*համարով|^\s*ნომერზე|^\s*(?:تماس|زنگ)|^\s*पर\s*(?:कॉल|फ़ोन|फोन)/u;

/** Whether the words right after a number (at `end`) say to call it. */
function labelledAfter(text: string, end: number): boolean {
  return end < text.length && PHONE_LABEL_AFTER.test(text.slice(end, end + 24));
}

/**
 * Words that offer a way to reach someone (`Kontakt pod numerem`, `Contacto do cliente:`): a number up to two short
 * words after one is a phone number, unless its own word names it an identifier (`Contact ID`).
 */
const CONTACT_WORDS = new Set([
  'contact',
  'contacts',
  'contacto',
  'contato',
  'contatto',
  'contactez',
  'contacter',
  'kontakt',
  'kontaktu',
  'kontakty',
  'контакт',
  'контакты',
  'erreichbar',
  'joignable',
  'reach',
  'bereiken',
  'bereikbaar',
  'erreichen',
  'joindre',
  'contactar',
  'contattare',
  'hubungi',
  'iletişim',
]);
// Scripts written without spaces, and Arabic's `ال` before a word, put letters around these: found inside a word.
const CONTACT_INSIDE = /联系|聯絡|聯繫|連絡|연락처|تواصل|اتصل/;

const LABEL_REACH = 32;

/** Whether the words right before `at` name the number there a phone number. */
function labelledPhone(text: string, at: number): boolean {
  // Most numbers follow a digit, a bracket or nothing that ends a word: the label's pattern is tried
  // only where a word (or the mark after an abbreviation or a "No.") ends right before the number.
  // Hebrew writes its prepositions glued to the number with a hyphen (`התקשרו אליי ל-09…`): read the label before them.
  if (text.charCodeAt(at - 1) === 45 && (text.charCodeAt(at - 2) === 0x5dc || text.charCodeAt(at - 2) === 0x5d1)) at -= 2;
  let e = at;
  while (e > 0 && at - e < 4 && /[\s:：#.º°՝]/.test(text[e - 1]!)) e--;
  if (e === 0 || !/\p{L}/u.test(text[e - 1]!)) return false;
  const before = text.slice(Math.max(0, at - LABEL_REACH), at);
  return PHONE_LABEL.test(before) || (text.charCodeAt(e - 1) >= 0x590 && PHONE_LABEL_UNSPACED.test(before));
}

/**
 * Whether the words right before `at` offer the number there as a way to reach someone (`Kontakt pod numerem`).
 * Read word by word backwards (at most three), not by a regex tried at each of the 32 characters before every number.
 */
function contactLabelled(text: string, at: number): boolean {
  let e = at;
  while (e > 0 && at - e < 4 && /[\s:：#.º°]/.test(text[e - 1]!)) e--;
  for (let words = 0; words < 3; words++) {
    let b = e;
    while (b > 0 && e - b < 20 && /\p{L}/u.test(text[b - 1]!)) b--;
    if (b === e) return false;
    const word = text.slice(b, e).toLowerCase();
    if (CONTACT_WORDS.has(word) || CONTACT_INSIDE.test(word)) return true;
    // Only short words (`pod numerem`, `do cliente`) stand between the offer and its number.
    if (e - b > 8 || text.charCodeAt(b - 1) !== 32) return false;
    e = b - 1;
  }
  return false;
}

/**
 * Whether the text around a nationally written number makes it part of something else: a piece of something longer
 * (`s41586-020-2649-2`, a DOI; `AA1 01 2345 6784`, a parcel's tracking number) or an identifier by its label
 * (`Order 0123-4567`). Context, not the digits: judged at each place, never remembered with the digits' verdict.
 */
function partOfSomethingElse(text: string, at: number): boolean {
  const before = text.charCodeAt(at - 1);
  return (
    before === 45 ||
    before === 47 ||
    before === 46 ||
    before === 95 ||
    (before === 32 && isAlnum(text.charCodeAt(at - 2)) && isDigit(text.charCodeAt(at - 2))) ||
    introducedAsIdentifier(text, at)
  );
}

/**
 * Without a configured country: a number written the way one country writes it nationally — a
 * trunk `0` and separators, or the North American three groups — is valid when libphonenumber
 * validates it for one of the likely countries, each try spending one parse of the body's budget.
 * Solid digit runs and other shapes are not tried (ids, amounts, timestamps).
 */
function readForLikelyCountries(candidate: string, budget: ScanBudget, apart: boolean): boolean {
  if (ZIP4.test(candidate) || SSN.test(candidate) || CEP.test(candidate)) return false;
  const trunk = TRUNK.test(candidate);
  const solid = !trunk && apart && SOLID_TRUNK.test(candidate);
  const regions =
    trunk || solid
      ? TRUNK_ZERO
      : NANP.test(candidate)
        ? US
        : BR_SHAPE.test(candidate)
          ? BR
          : RU_SHAPE.test(candidate)
            ? TRUNK_EIGHT
            : CN_MOBILE.test(candidate)
              ? CN
              : EIGHT.test(candidate)
                ? TRUNK_EIGHT
                : null;
  if (regions === null) return bracketedCountryCode(candidate, budget);
  for (const defaultCountry of regions) {
    if (budget.phoneParses <= 0) return false;
    budget.phoneParses--;
    const parsed = phones().parsePhoneNumberFromString(candidate, { defaultCountry });
    if (parsed?.isValid() !== true) continue;
    // Written solid, only a mobile counts: landline plans cover whole blocks of ten-digit runs (ids with a leading zero).
    if (!solid) return true;
    const type = parsed.getType();
    if (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') return true;
  }
  return false;
}

/**
 * Whether the number at `at` stands apart in prose, as a signature or a contact list writes it: after a list's separator
 * and a space (`Anna Kim · 0791…`, `Anna | 0791…`, `Anna Kim, 0791…`, `Anna – 0791…`). Not a whole string
 * (a JSON value: its key decides), not the start of a line or a separator without a space (CSV fields, `a,0201…`), not
 * after a word, a key's `=` or `:`, or a quote.
 */
function standsApart(text: string, at: number): boolean {
  let b = at;
  while (b > 0 && (text.charCodeAt(b - 1) === 32 || text.charCodeAt(b - 1) === 0xa0)) b--;
  if (b === 0) return false;
  const c = text.charCodeAt(b - 1);
  const separator = c === 0xb7 || c === 124 || c === 44 || c === 59 || c === 0x2022 || c === 45 || c === 47 || c === 0x2013 || c === 0x2014;
  return separator && b < at;
}

/**
 * A country calling code written in brackets without its `+` (`(371) 6506 5236`, `(44) 20 7946 0958`): a phone when the
 * code is one and the rest is a valid number of that country. One parse.
 */
function bracketedCountryCode(candidate: string, budget: ScanBudget): boolean {
  const m = BRACKETED_CC.exec(candidate);
  if (m === null || budget.phoneParses <= 0) return false;
  budget.phoneParses--;
  const parsed = phones().parsePhoneNumberFromString(`+${m[1]} ${candidate.slice(m[0].length)}`);
  // The brackets must hold the whole code: `(12) 345…` is not `+1 2345…`.
  return parsed !== undefined && parsed.countryCallingCode === m[1] && parsed.isValid();
}

/**
 * Phone numbers, validated with libphonenumber (the metadata of every country): international
 * (`+44 20 7946 0958`, `0044 20 7946 0958`) and, with a default country, national (`(415) 555-2671`) forms.
 */
export function phoneDetector(opts: PhoneOptions): (text: string, out: Match[], budget: ScanBudget) => void {
  // Loaded when the configuration that scans for phones is compiled, not by the first call that
  // meets a number: reading the metadata holds the loop for tens of milliseconds.
  phones();
  const national = opts.defaultCountry ? { defaultCountry: opts.defaultCountry } : undefined;
  return (text, out, budget) => {
    const n = text.length;
    // Parses and verdicts are the body's: a JSON body of 60,000 short numbers shares one budget.
    const seen = budget.phoneVerdicts;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      // A number starts with a digit, or with `+` or `(` right before one.
      const starts = isDigit(c) || ((c === 43 || c === 40) && isDigit(text.charCodeAt(i + 1)));
      if (!starts || (i > 0 && (isAlnum(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 43))) {
        i++;
        continue;
      }
      // A candidate: phone characters up to 24 of them and 15 digits, no two separators' spaces in a row.
      let j = i;
      let digits = 0;
      let lastDigitEnd = i;
      while (j < n && j - i < MAX_CANDIDATE_CHARS) {
        const d = text.charCodeAt(j);
        if (!isPhoneChar(d)) break;
        if (d === 32 && text.charCodeAt(j + 1) === 32) break;
        // A number's brackets hold its area code or trunk, early in it: a bracket after a whole number's digits opens an aside (`… 0734 (9–5)`).
        if (d === 32 && text.charCodeAt(j + 1) === 40 && digits >= MIN_DIGITS) break;
        if (d === 43 && j > i) break;
        if (isDigit(d)) {
          if (digits === MAX_DIGITS) break;
          digits++;
          lastDigitEnd = j + 1;
        }
        j++;
      }
      let end = lastDigitEnd;
      if (text.charCodeAt(end) === 41) end++;
      const after = text.charCodeAt(lastDigitEnd);
      // A `:` and digits after the last group make it an hour (`07.07.22 14:44`): a timestamp, not a number.
      const glued = lastDigitEnd < n && (isAlnum(after) || (isDigit(text.charCodeAt(lastDigitEnd + 1)) && (after === 46 || after === 45 || after === 58)));
      // Six digits make a number only where its own label calls it a phone (`Tel.: 935 771`: small countries' and local numbers).
      if ((digits >= MIN_DIGITS || (digits === MIN_DIGITS - 1 && labelledPhone(text, i))) && !glued) {
        const candidate = text.slice(i, lastDigitEnd);
        // A label or an identifier's context decides for the number it stands before, not for the same digits elsewhere: not cached.
        const dialled = asDialled(candidate);
        const readNationally = national === undefined && dialled.charCodeAt(0) !== 43;
        let valid =
          DATE.test(candidate) || TIME_RANGE.test(candidate)
            ? false
            : labelledPhone(text, i)
              ? true
              : labelledAfter(text, lastDigitEnd)
                ? true
                : (readNationally || candidate.startsWith('00')) && partOfSomethingElse(text, i)
                  ? false
                  : contactLabelled(text, i)
                    ? true
                    : seen.get(candidate);
        if (valid === undefined) {
          // Without a country to read it for, a national number is read only if written like one:
          // the rest (ids, timestamps, amounts) cost neither a parse nor the budget.
          if (readNationally) {
            // A solid run's verdict depends on where it stands (`id=0201…` is an id): not cached.
            const apart = standsApart(text, i);
            valid = readForLikelyCountries(dialled, budget, apart);
            if (seen.size < MAX_VERDICTS && !(apart && SOLID_TRUNK.test(dialled))) seen.set(candidate, valid);
          } else if (budget.phoneParses > 0) {
            budget.phoneParses--;
            const parsed = phones().parsePhoneNumberFromString(dialled, national);
            // Written with its country code, a number of a possible length for that country is one, allocated
            // or not (ranges kept for examples and drama, ranges opened after the metadata was built).
            valid = parsed?.isValid() === true || (dialled.charCodeAt(0) === 43 && parsed?.isPossible() === true);
            if (seen.size < MAX_VERDICTS) seen.set(candidate, valid);
          } else valid = shapedLikePhone(dialled, digits, national !== undefined);
        }
        if (valid) {
          out.push({ kind: 'phone', start: i, end: lastDigitEnd });
          i = lastDigitEnd;
          continue;
        }
      }
      // Nothing starts inside the digits just read (they are preceded by a digit).
      i = Math.max(i + 1, lastDigitEnd);
    }
  };
}
