import { describe, expect, it } from 'vitest';
import { iban, withLuhn } from '../../../test/support/check-digits.js';
import { detectorsFor, type PiiCategory, scanText } from './pii.js';

// Without a default country, as a default-configured detect_pii node scans. The kinds fixed after scoring the
// generated corpus of faker's 62 locales (bench/corpora/pii/tune-locales.jsonl, 26 Nov 2026); values here are our own.
const detectors = detectorsFor({ types: ['email', 'phone', 'card', 'iban', 'ip', 'secret'] as PiiCategory[] });

/** What the scan finds in a text: [kind, the matched substring]. */
function found(text: string): [string, string][] {
  return scanText(text, detectors).map((m) => [m.kind, text.slice(m.start, m.end)]);
}

describe('phone labels and offers to be reached in more languages', () => {
  it('takes Danish, Norwegian, Swedish, Finnish, Latvian, Welsh and Indonesian abbreviations as labels', () => {
    expect(found('Tlf.: 51 69 83 56')).toEqual([['phone', '51 69 83 56']]);
    expect(found('Tfn 08-123 456 78')).toEqual([['phone', '08-123 456 78']]);
    expect(found('Puh. 040 123 4567')).toEqual([['phone', '040 123 4567']]);
    expect(found('Tālr.: 67 123 456')).toEqual([['phone', '67 123 456']]);
    expect(found('Ffôn: 029 2018 0123')).toEqual([['phone', '029 2018 0123']]);
    expect(found('Telepon: 0812 3456 7890')).toEqual([['phone', '0812 3456 7890']]);
  });

  it('takes Armenian and Georgian labels, with the Armenian comma after them', () => {
    expect(found('Հեռ.՝ 010 123456')).toEqual([['phone', '010 123456']]);
    expect(found('ტელ.: 995 555 123456')).toEqual([['phone', '995 555 123456']]);
  });

  it('takes a number offered as a way to reach someone in Dutch, German and French', () => {
    expect(found('Je kunt me bereiken op 6123 4567.')).toEqual([['phone', '6123 4567']]);
    expect(found('Sie können mich erreichen unter 5123 4567.')).toEqual([['phone', '5123 4567']]);
  });

  it('takes six digits only after a phone label', () => {
    expect(found('Tel.: 935 771')).toEqual([['phone', '935 771']]);
    expect(found('Kapacitet 935 771 mesta')).toEqual([]);
  });
});

describe('call verbs before and after the number', () => {
  it('takes a verb with its pronoun glued on and up to three short words before the number', () => {
    expect(found('Appelez-moi au 053288769 demain.')).toEqual([['phone', '053288769']]);
    expect(found('Bel me morgen op 0634831304.')).toEqual([['phone', '0634831304']]);
    expect(found('Ligue para mim no 962 922 717 amanhã.')).toEqual([['phone', '962 922 717']]);
    expect(found('Zavolajte mi na 2704799526 zajtra.')).toEqual([['phone', '2704799526']]);
    expect(found('Gọi cho tôi theo số 0597661723 ngày mai.')).toEqual([['phone', '0597661723']]);
    expect(found('Πάρε με στο 23102 07124 αύριο.')).toEqual([['phone', '23102 07124']]);
  });

  it('takes a verb that comes after the number in Japanese, Turkish, Persian, Armenian and Georgian', () => {
    expect(found('明日06064536288までお電話ください。')).toEqual([['phone', '06064536288']]);
    expect(found('Yarın beni 5321234567 numarasından arayın.')).toEqual([['phone', '5321234567']]);
    expect(found('فردا با 04474319603 تماس بگیرید.')).toEqual([['phone', '04474319603']]);
    expect(found('Զանգահարեք ինձ 093928416 համարով։')).toEqual([['phone', '093928416']]);
    expect(found('Մեր պատվերը 093928416 է։')).toEqual([]);
  });

  it('reads past the Hebrew preposition glued to the number with a hyphen', () => {
    expect(found('התקשרו אליי ל-09-211-6471 מחר.')).toEqual([['phone', '09-211-6471']]);
  });
});

describe('numbers of phone length named identifiers in more languages and scripts', () => {
  it('reads the word before a word that only says "number", and an identifier word before a 00-dialled number', () => {
    expect(found('Sledovacie číslo 0982 681 769')).toEqual([]);
    expect(found('Numero di spedizione 047 221 605')).toEqual([]);
    expect(found('Număr de urmărire 022 311 825')).toEqual([]);
    expect(found('Rendelésszám 0036208917980')).toEqual([]);
    expect(found('Telefonní číslo 0982 681 769')).toEqual([['phone', '0982 681 769']]);
  });

  it('reads a Thai word with its vowel marks', () => {
    expect(found('รหัสลูกค้า 08 2736 7334')).toEqual([]);
  });

  it('reads a date and time with a two-digit year as a timestamp', () => {
    expect(found('Sapulce ir 07.07.22 14:44.')).toEqual([]);
  });

  it('reads order, invoice, customer and shipment words of Welsh, Finnish, Serbian, Greek and Hebrew as identifiers', () => {
    expect(found('Rhif archeb 0861 917 8131')).toEqual([]);
    expect(found('Asiakasnumero 015 75 18 90 61')).toEqual([]);
    expect(found('Broj kupca 050 702084')).toEqual([]);
    expect(found('Αριθμός παραγγελίας 021 0123 4567')).toEqual([]);
    expect(found('חשבונית 03-1234567')).toEqual([]);
  });

  it('finds the word inside a run of Hangul or Han characters, and keeps customer-service lines as phones', () => {
    expect(found('고객번호 082-3380-1348')).toEqual([]);
    expect(found('订单号 076 6046 5604')).toEqual([]);
    expect(found('고객센터 전화 02-3456-7890')).toEqual([['phone', '02-3456-7890']]);
    expect(found('Asiakaspalvelu 010 123 4567')).toEqual([['phone', '010 123 4567']]);
  });
});

describe('national mobiles written solid and calling codes in brackets', () => {
  it('finds a national mobile written solid where it stands in a field of its own', () => {
    expect(found('Colin Kubli · 0791234567')).toEqual([['phone', '0791234567']]);
    expect(found('Temitope | 08031234567')).toEqual([['phone', '08031234567']]);
    expect(found('Nhi Đỗ, 0912345678')).toEqual([['phone', '0912345678']]);
  });

  it('leaves a solid run after a key, a word or a quote alone', () => {
    expect(found('request_id=0201745533')).toEqual([]);
    expect(found('hash 0412345678 collision')).toEqual([]);
    expect(found('"ref": "0791234567"')).toEqual([]);
    expect(found('0791234567')).toEqual([]);
    expect(found('12345,0791234567,EUR')).toEqual([]);
  });

  it('reads a calling code in brackets without its +', () => {
    expect(found('Dr. Lejiņa · (371)67123456')).toEqual([['phone', '(371)67123456']]);
    expect(found('Invoice total (12) 345678901')).toEqual([]);
  });
});

describe('national shapes of Brazil and Russia without a trunk prefix', () => {
  it('reads a bracketed two-digit area code then 4-4 or 5-4 for Brazil, and a bracketed code then 3-2-2 for Russia', () => {
    expect(found('Rafael · (11) 98765-4321')).toEqual([['phone', '(11) 98765-4321']]);
    expect(found('Петрова · (912)345-67-89')).toEqual([['phone', '(912)345-67-89']]);
    expect(found('Rafael · (00) 98765-4321')).toEqual([]);
  });
});

describe('versions named in more languages', () => {
  it('leaves four dotted numbers after "version" in Greek, Finnish, Hebrew, Hungarian and Russian alone', () => {
    expect(found('Ενημερώθηκε στην έκδοση 3.15.6.169.')).toEqual([]);
    expect(found('Päivitetty versioon 1.17.11.135.')).toEqual([]);
    expect(found('עודכן לגרסה 2.8.13.38.')).toEqual([]);
    expect(found('Frissítve a verzióra 4.2.1.7 ma.')).toEqual([]);
    expect(found('Обновлено до версии 10.2.0.15.')).toEqual([]);
    expect(found('Сервер отвечает на 10.2.0.15.')).toEqual([['ipv4', '10.2.0.15']]);
  });
});

describe('card-length reference numbers named in more languages', () => {
  it('leaves a Luhn-valid number after an invoice, order or tracking word of many languages alone', () => {
    const ref = withLuhn('481341314085');
    const long = withLuhn('459730937536739');
    for (const text of [
      `Faktuur nr. ${ref}`,
      `Rhif archeb ${ref}`,
      `Τιμολόγιο αρ. ${long}`,
      `Factura n.º ${ref}`,
      `מספר הזמנה ${ref}`,
      `Հետևման համար ${ref}`,
      `Bestelnummer ${long}`,
      `Numer przesyłki ${long}`,
      `注文番号 ${long}`,
      `운송장 번호 ${ref}`,
      `Mã vận đơn ${ref}`,
      `Sledovací číslo ${ref}`,
      `Număr de urmărire ${ref}`,
    ])
      expect(found(text)).toEqual([]);
  });

  it('still finds the card after a payment word', () => {
    const card = withLuhn('459730937536739');
    expect(found(`Mijn kaartnummer is ${card}.`)).toEqual([['card', card]]);
    expect(found(`Factura pagada con tarjeta ${card}`)).toEqual([['card', card]]);
  });
});

describe('IBANs of the countries added to the registry since 2021', () => {
  it('finds IBANs of Libya, Russia, Oman, Sudan and Mongolia at their lengths', () => {
    for (const value of [
      iban('LY', '002048000020100120361'),
      iban('RU', '04452560040702810412345678901'),
      iban('OM', '0180000001299123456'),
      iban('SD', '29010501234001'),
      iban('MN', '1234123456789123'),
    ])
      expect(found(`IBAN: ${value}`)).toEqual([['iban', value]]);
  });

  it('leaves a code of the wrong length for its country alone', () => {
    expect(found(`IBAN: ${iban('OM', '01800000012991234567')}`)).toEqual([]);
  });
});
