// Language detection, local tier: is the top language the one the text is written in (ISO 639-1)?
// Realistic messages in 26 languages, a group of short chat-style texts (2–4 words), and texts
// with no language at all, which must come back as "und".

export const description = 'Language detection: top language (ISO 639-1) equals the expected one; no-language text → "und"';
export const metric = 'accuracy';

const c = (text, expected) => ({ request: { text }, expected });

export const cases = [
  // Sentences
  c('Could you let me know when my refund will be processed? It has been two weeks.', 'en'),
  c('¿Podrías decirme cuándo llega mi pedido? Lo compré hace diez días.', 'es'),
  c("Je n'arrive pas à me connecter à mon compte depuis ce matin, pouvez-vous m'aider ?", 'fr'),
  c('Die Lieferung ist leider beschädigt angekommen, ich hätte gern einen Ersatz.', 'de'),
  c('Il prodotto è arrivato in ritardo e la confezione era aperta.', 'it'),
  c('Gostaria de cancelar a minha assinatura a partir do próximo mês.', 'pt'),
  c('Ik heb gisteren een bestelling geplaatst maar nog geen bevestiging ontvangen.', 'nl'),
  c('Jag skulle vilja byta min beställning till en större storlek, tack.', 'sv'),
  c('Zamówienie dotarło uszkodzone, proszę o zwrot pieniędzy.', 'pl'),
  c('Здравствуйте, я не могу оплатить заказ картой, что мне делать?', 'ru'),
  c('Доброго дня! Коли ви відправите моє замовлення до Києва?', 'uk'),
  c('Siparişim hâlâ kargoya verilmedi, lütfen yardımcı olur musunuz?', 'tr'),
  c('مرحبا، لم أستلم طلبي حتى الآن، هل يمكنكم مساعدتي؟', 'ar'),
  c('שלום, ההזמנה שלי עדיין לא הגיעה, אפשר לבדוק מה קרה?', 'he'),
  c('नमस्ते, मेरा ऑर्डर अभी तक नहीं आया है, कृपया मदद करें।', 'hi'),
  c('注文した商品がまだ届いていません。確認していただけますか？', 'ja'),
  c('我的订单还没有到，请帮我查一下物流信息。', 'zh'),
  c('주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.', 'ko'),
  c('Καλησπέρα, η παραγγελία μου δεν έχει φτάσει ακόμα.', 'el'),
  c('Tilaukseni ei ole vieläkään saapunut, voisitteko tarkistaa sen?', 'fi'),
  c('Jeg har ikke modtaget min pakke endnu, kan I hjælpe mig?', 'da'),
  c('Jeg har fortsatt ikke fått pakken min, kan dere sjekke hva som har skjedd?', 'no'),
  c('Dobrý den, moje objednávka ještě nedorazila, můžete to prosím zkontrolovat?', 'cs'),
  c('Halo, pesanan saya belum sampai, tolong dibantu cek ya.', 'id'),
  c('Xin chào, đơn hàng của tôi vẫn chưa được giao, vui lòng kiểm tra giúp tôi.', 'vi'),
  c('สวัสดีครับ สินค้าที่สั่งยังไม่ได้รับเลย ช่วยตรวจสอบให้หน่อยครับ', 'th'),
  c('The weather in Lisbon was wonderful and the food was even better.', 'en'),
  c('Hier soir nous avons dîné dans un petit restaurant près de la gare.', 'fr'),
  c('Mañana vamos a la playa con los niños si no llueve.', 'es'),
  c('Heute Abend gehen wir ins Kino, kommst du mit?', 'de'),
  // Short, chat-style texts
  c('Thanks a lot!', 'en'),
  c('Muchas gracias amigo', 'es'),
  c('Merci beaucoup', 'fr'),
  c('Vielen Dank', 'de'),
  c('Grazie mille', 'it'),
  c('Muito obrigado', 'pt'),
  c('Спасибо большое', 'ru'),
  c('ありがとうございます', 'ja'),
  // No language
  c('12345 67890', 'und'),
  c('😀😀👍', 'und'),
  c('!!! ??? ...', 'und'),
];

export function correct(envelope, expected) {
  return envelope?.results?.[0]?.language === expected;
}
