/**
 * Labels that say what a number is, in the words of many languages: a Luhn-valid 16-digit number after
 * "Rechnungsnummer" is an invoice's number, an IBAN-shaped code after "SKU" an article's. One in ten
 * numbers passes Luhn and one in 97 codes passes mod-97, so an order, invoice, tracking, device or
 * article number that happens to pass is named by its label — unless a payment word stands nearer. A label that ends a
 * sentence (`… the invoice. 4111 …`) labels nothing after its full stop; an abbreviation's does (`Rechnungsnr. 4111 …`).
 */
const OTHER_NUMBER =
  /(?:invoice|order|reference|ref\.?|tracking|shipment|parcel|consignment|ups|usps|fedex|dhl|gls|dpd|tnt|hermes|colissimo|chronopost|correos|royal mail|postnl|bpost|yamato|sf express|waybill|serial|imei|iccid|sku|ean|gtin|upc|isbn|orcid|ticket|case|customer|member|loyalty|policy|claim|booking|confirmation|part|article|vat|rechnung|bestell|auftrag|referenz|sendung|kunden|artikel|serien|paket|lieferschein|vorgang|aktenzeichen|gutschein|voucher|coupon|facture|commande|référence|suivi|colis|pedido|factura|referencia|seguimiento|ordine|fattura|riferimento|spedizione|zamówieni|faktur|przesyłk|заказ|сч[её]т|накладн|трек|注文|請求|追跡|订单|发票|运单|sipariş|fatura|kargo|bestel|factuur|faktuur|encomenda|rastreio|archeb|anfoneb|τιμολ|παραγγελ|αποστολ|הזמנה|חשבונית|מעקב|պատվեր|հաշիվ-ապրանքագիր|հետ(?:և|եւ)ման|შეკვეთ|ინვოის|თრექინგ|tilaus|lasku|seuranta|narudžb|porudžbin|pošiljk|objednávk|faktúr|sledovac|rendelés|számla|nyomkövet|pesanan|resi|замовлен|відправлен|нарачк|фактур|سفارش|فاکتور|رهگیری|sifariş|izləmə|pasūtījum|rēķin|izsekošan|ordre|sporing|spårning|comand|factur|urmărir|vận đơn|hóa đơn|đơn hàng|주문|송장|운송장|订单|訂單|运单|運單|注文番号|請求書)[^\s\d:#.]*(?:(?<=nr|no|num)\.)?\s*(?:(?:n[°ºo]\.?|n\.[°ºo]|nr\.?|no\.?|nro\.?|br\.?|č\.?|sz\.?|αρ\.?|αριθμός|№|מס['׳]?|համար|číslo|broj|număr(?:ul)?|ნომერი|번호|số|nomor|numarası|number|nummer|numéro|número|numero|номер|#|id|code)\s*)?[:#]?\s*$/iy;

/** Words that make a number a payment instrument again when they stand between the label and the number. */
const PAYMENT =
  /card|karte|carte|tarjeta|carta|cartão|kart|карт|カード|卡|iban|konto|compte|cuenta|conto|rekening|account|bank|pay|zahl|virement|überweis|transfer/i;

/** Characters between a label's words and the number: spaces, and the marks that end a label (`Nr.:`, `#`). */
function isGap(c: number): boolean {
  return c === 32 || c === 9 || c === 58 || c === 35 || c === 44 || c === 59 || c === 40 || c === 41 || c === 0xa0;
}

/**
 * Whether the words just before `start` (at most three, on the same line, within 40 characters) label the number there
 * as something other than a payment instrument. The label rule is tried at those word starts only (a cost per number of
 * three anchored attempts, not forty), so a body of a thousand labelled numbers stays cheap.
 */
export function labelledOtherwise(text: string, start: number): boolean {
  const floor = Math.max(0, start - 40);
  const starts: number[] = [];
  let i = start;
  while (starts.length < 3 && i > floor) {
    while (i > floor && isGap(text.charCodeAt(i - 1))) i--;
    const end = i;
    while (i > floor && !isGap(text.charCodeAt(i - 1)) && text.charCodeAt(i - 1) !== 10) i--;
    if (i === end) break;
    starts.push(i);
    if (i > 0 && text.charCodeAt(i - 1) === 10) break;
  }
  if (starts.length === 0) return false;
  const before = text.slice(starts[starts.length - 1]!, start);
  const base = starts[starts.length - 1]!;
  for (const s of starts) {
    OTHER_NUMBER.lastIndex = s - base;
    if (OTHER_NUMBER.test(before)) return !PAYMENT.test(before.slice(s - base));
  }
  return false;
}
