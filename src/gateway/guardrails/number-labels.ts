/**
 * Labels that say what a number is, in the words of many languages: a Luhn-valid 16-digit number after
 * "Rechnungsnummer" is an invoice's number, an IBAN-shaped code after "SKU" an article's. One in ten
 * numbers passes Luhn and one in 97 codes passes mod-97, so an order, invoice, tracking, device or
 * article number that happens to pass is named by its label — unless a payment word stands nearer.
 */
const OTHER_NUMBER =
  /(?<!\p{L})(?:invoice|order|reference|ref\.?|tracking|shipment|parcel|consignment|ups|usps|fedex|dhl|gls|dpd|tnt|hermes|colissimo|chronopost|correos|royal mail|postnl|bpost|yamato|sf express|waybill|serial|imei|iccid|sku|ean|gtin|upc|isbn|orcid|ticket|case|customer|member|loyalty|policy|claim|booking|confirmation|part|article|vat|rechnung|bestell|auftrag|referenz|sendung|kunden|artikel|seriennummer|facture|commande|référence|suivi|colis|pedido|factura|referencia|seguimiento|ordine|fattura|riferimento|spedizione|zamówieni|faktur|przesyłk|заказ|сч[её]т|накладн|трек|注文|請求|追跡|订单|发票|运单|sipariş|fatura|kargo|bestelling|factuur|encomenda|rastreio)[\p{L}.-]*\s*(?:(?:n[°ºo]\.?|nr\.?|no\.?|number|nummer|numéro|número|numero|номер|#|id|code)\s*)?[:#]?\s*$/iu;

/** Words that make a number a payment instrument again when they stand between the label and the number. */
const PAYMENT = /card|karte|carte|tarjeta|carta|cartão|kart|карт|カード|卡|iban|konto|compte|cuenta|conto|rekening|account|bank|pay|zahl|virement|überweis|transfer/iu;

/** Whether the words just before `start` (same line, 40 characters) label the number there as something other than a payment instrument. */
export function labelledOtherwise(text: string, start: number): boolean {
  let b = start;
  while (b > 0 && start - b < 40 && text.charCodeAt(b - 1) !== 10) b--;
  const before = text.slice(b, start);
  const label = OTHER_NUMBER.exec(before);
  return label !== null && !PAYMENT.test(before.slice(label.index));
}
