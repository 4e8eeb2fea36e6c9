/**
 * Directives by class, in any of the languages below: instead of phrases, each sentence is read
 * for the classes of words it holds — a verb of sending, of calling or running, of forgetting; an
 * object that is a secret or the conversation; a target (a URL, an address); a tool or a command;
 * a model named as the one addressed ("Assistant:", "AI,"); a hook on the model's task ("before
 * answering"); a person kept out ("without telling the user"); a persona without limits — and a
 * rule counts where the classes of an instruction meet in one sentence (verb class × object class ×
 * addressee). A paraphrase or another language changes the words, rarely the classes.
 *
 * Cost: one pass over the folded text's characters: a word start looks its first two letters up
 * (a character of another script, itself), a URL is skipped over whole, a sentence's classes are
 * judged at its end; bounded to a head and a tail of the text like the learned tier.
 */

// Classes, by index: a sentence holds a flag per class.
const ADDR = 0; // a model named as the addressee at a sentence's start, before a comma or a colon
const SEND = 1;
const DATA = 2;
const TARGET = 3; // a URL or an e-mail address
const CALL = 4;
const TOOL = 5;
const BEFORE = 6;
const CONCEAL = 7;
const FREE = 8;
const ROLE = 9;
const USER = 10;
const NEG_TELL = 11;
const NOTE = 12;
const INVALID = 13;
const INSTR = 14;
const MUST = 15;
const DANGER = 16; // a destructive or exfiltrating shell command
const FROM_NOW = 17;
const SECOND = 18; // the reader addressed: you, tú, du, ты, 你
const PERSONA = 19; // a privileged persona: administrator, root
const PREV = 20; // earlier, previous
const READ = 21; // reading a file or handing over its contents
const NEG = 22; // never, not, refused: a sentence that forbids
const WHEN = 23; // whenever, every time: a hook on another tool's use
const ACT = 24; // what a shadowing hook does: bcc, replace, add
const TOOLNAME = 25; // a snake_case name
const PATH = 26; // a file whose contents are secrets
const MODAL = 27; // must, should, has to
const FORGET = 28; // forget, set aside
const RULES = 29; // your rules, your instructions (the reader's own)
const TOLD = 30; // what you were told
const APPEND = 31; // append, paste, add to
const TARGET_Q = 32; // a URL whose query is left to fill, or an e-mail address
const BARE_TARGET = 33; // a URL named as where something goes (`to https://…`, `sur https://…`, `https://… に`), not a link's reference
const GO_ON = 34; // before continuing, before proceeding
const CLASSES = 35;

/** Words of each class, folded (lower case, Latin diacritics removed); a Latin entry is a word's start. */
const LEXICON: ReadonlyArray<readonly [number, readonly string[]]> = [
  [
    SEND,
    [
      // es pt it
      'envia',
      'envie',
      'enviale',
      'reenvia',
      'reenvie',
      'manda',
      'mande',
      'mandale',
      'encaminh',
      'inoltra',
      'invia',
      'sube ',
      'suba ',
      'comparte',
      'compartilh',
      'condividi',
      // fr
      'envoie',
      'envoyez',
      'renvoie',
      'transmets',
      'transmettez',
      'transfere',
      'transferez',
      'partage',
      'publie',
      'televerse',
      // de nl sv
      'schick',
      'sende ',
      'leite',
      'ubermittle',
      'teile ',
      'stuur',
      'verstuur',
      'mailen',
      'mejla',
      'skicka',
      'vidarebefordra',
      'ladda upp',
      // pl tr id vi
      'wyslij',
      'przeslij',
      'przekaz',
      'udostepnij',
      'gonder',
      'ilet ',
      'yolla',
      'paylas',
      'kirim',
      'teruskan',
      'unggah',
      'gui ',
      'chuyen tiep',
      'tai len',
      // en
      'send ',
      'forward ',
      'exfiltrate',
      'upload ',
      'post ',
      // Cyrillic
      'отправь',
      'отправьте',
      'перешли',
      'передай',
      'загрузи',
      'опубликуй',
      'надішли',
      'відправ',
      'переслати',
      'передайте',
      // other scripts
      'أرسل',
      'ارسل',
      'أعد توجيه',
      'حوّل',
      'שלח',
      'העבר',
      'بفرست',
      'ارسال کن',
      'भेजो',
      'भेज दो',
      'भेजें',
      'फ़ॉरवर्ड',
      '发送',
      '发到',
      '发给',
      '转发',
      '上传',
      '送信',
      '転送',
      '送って',
      '送る',
      'アップロード',
      '보내',
      '전송',
      '전달',
      'ส่ง',
    ],
  ],
  [
    DATA,
    [
      'historial',
      'conversacion',
      'contrasena',
      'clave',
      'claves',
      'credencial',
      'datos personales',
      'prompt del sistema',
      'prompt de sistema',
      'historique',
      'conversation',
      'mot de passe',
      'mots de passe',
      'cle api',
      'cles api',
      'identifiants',
      'donnees personnelles',
      'prompt systeme',
      'gesprachsverlauf',
      'chatverlauf',
      'chatgeschiedenis',
      'مفتاح',
      'verlauf',
      'passwort',
      'kennwort',
      'api-schlussel',
      'schlussel',
      'zugangsdaten',
      'personlichen daten',
      'systemprompt',
      'historico',
      'conversa',
      'senha',
      'chave',
      'chaves',
      'dados pessoais',
      'prompt do sistema',
      'cronologia',
      'conversazione',
      'password',
      'chiave',
      'chiavi',
      'dati personali',
      'prompt di sistema',
      'gespreksgeschiedenis',
      'wachtwoord',
      'sleutel',
      'persoonsgegevens',
      'systeemprompt',
      'rozmow',
      'haslo',
      'hasla',
      'klucz',
      'dane osobowe',
      'prompt systemowy',
      'gecmis',
      'sifre',
      'parola',
      'anahtar',
      'kisisel veri',
      'sistem istem',
      'lich su',
      'mat khau',
      'khoa api',
      'du lieu ca nhan',
      'loi nhac he thong',
      'riwayat',
      'kata sandi',
      'kunci api',
      'data pribadi',
      'prompt sistem',
      'konversationshistorik',
      'losenord',
      'nyckl',
      'personuppgift',
      'systemprompt',
      'conversation history',
      'chat history',
      'api key',
      'api keys',
      'secrets',
      'secret ',
      'tokens',
      'token ',
      'credentials',
      'system prompt',
      'personal data',
      'private key',
      'историю',
      'истории',
      'переписк',
      'пароль',
      'ключи',
      'ключ',
      'персональные данные',
      'системный промпт',
      'історію',
      'листуванн',
      'персональні дані',
      'системний промпт',
      'سجل المحادثة',
      'مفاتيح',
      'كلمة مرور',
      'كلمة المرور',
      'البيانات الشخصية',
      'موجه النظام',
      'היסטוריית',
      'הסיסמה',
      'סיסמה',
      'מפתחות',
      'הנתונים האישיים',
      'הנחיית המערכת',
      'تاریخچه',
      'رمز عبور',
      'کلید',
      'اطلاعات شخصی',
      'پرامپت سیستم',
      'इतिहास',
      'पासवर्ड',
      'कुंजि',
      'निजी डेटा',
      'सिस्टम प्रॉम्प्ट',
      '聊天记录',
      '对话记录',
      '密码',
      '密钥',
      '个人信息',
      '系统提示',
      '会話履歴',
      '履歴',
      'パスワード',
      'apiキー',
      '個人情報',
      'システムプロンプト',
      '대화 기록',
      '비밀번호',
      'api 키',
      '개인 정보',
      '시스템 프롬프트',
      'ประวัติการสนทนา',
      'รหัสผ่าน',
      'คีย์',
      'ข้อมูลส่วนตัว',
      'พรอมต์ระบบ',
      // What else a planted text wants out: mail, contacts, files, cards, sessions, the user's data.
      'contactos',
      'archivos',
      'documentos',
      'tarjeta',
      'token de acceso',
      'variables de entorno',
      'datos del usuario',
      'datos del cliente',
      'informacion del usuario',
      'contacts',
      'fichiers',
      'carte bancaire',
      "jeton d'acces",
      "variables d'environnement",
      "donnees de l'utilisateur",
      'benutzerdaten',
      'kundendaten',
      'kontakte',
      'dateien',
      'kreditkarte',
      'umgebungsvariablen',
      'zugangstoken',
      'contatos',
      'arquivos',
      'cartao',
      'dados do usuario',
      'dados do cliente',
      'variaveis de ambiente',
      'contatti',
      'carta di credito',
      "dati dell'utente",
      'variabili di ambiente',
      'contactpersonen',
      'bestanden',
      'kontakty',
      'pliki',
      'karty',
      'kisiler',
      'dosyalar',
      'kart numara',
      'danh ba',
      'tep tin',
      'kontak',
      'berkas',
      'kontakter',
      'filer',
      'kortnummer',
      'cookies',
      'session',
      'контакты',
      'файлы',
      'номер карты',
      'токен',
      'переменные окружения',
      'контакти',
      'файли',
      'جهات الاتصال',
      'الملفات',
      'אנשי הקשר',
      'הקבצים',
      'مخاطبین',
      'فایل‌ها',
      'संपर्क',
      'फ़ाइलें',
      '联系人',
      '文件',
      '令牌',
      '環境変数',
      '連絡先',
      'ファイル',
      'トークン',
      '연락처',
      '파일',
      '토큰',
      'รายชื่อติดต่อ',
      'ไฟล์',
    ],
  ],
  [
    CALL,
    [
      'llama a la',
      'llama al',
      'invoca',
      'ejecuta',
      'usa la herramienta',
      'utiliza la herramienta',
      'usa ',
      'use ',
      'utiliza ',
      'utilizza ',
      'utilise ',
      'appelle',
      'execute',
      'executez',
      'lance',
      'utilise l',
      'rufe',
      'ruf ',
      'fuhre',
      'verwende',
      'nutze',
      'chame',
      'execute',
      'use a ferramenta',
      'chiama',
      'esegui',
      'usa lo strumento',
      'usa il',
      'roep',
      'voer',
      'gebruik',
      'wywolaj',
      'uruchom',
      'uzyj',
      'cagir',
      'calistir',
      'kullan',
      'goi cong cu',
      'hay goi',
      'chay ngay',
      'chay lenh',
      'panggil',
      'jalankan',
      'gunakan',
      'anropa',
      'kor ',
      'kor genast',
      'anvand',
      'call the ',
      'invoke ',
      'run the ',
      'trigger ',
      'вызови',
      'выполни',
      'запусти',
      'используй',
      'виклич',
      'виконай',
      'запусти',
      'використай',
      'استدع',
      'نفّذ',
      'نفذ',
      'شغّل',
      'استخدم',
      'הפעל',
      'הרץ',
      'השתמש',
      'فراخوانی کن',
      'اجرا کن',
      'استفاده کن',
      'कॉल करो',
      'चलाओ',
      'इस्तेमाल करो',
      '调用',
      '执行',
      '运行',
      '使用',
      '呼び出',
      '実行',
      '使って',
      '호출',
      '실행',
      '사용해',
      'เรียก',
      'รัน',
      'ใช้',
    ],
  ],
  [
    TOOL,
    [
      'herramienta',
      'outil',
      'werkzeug',
      'tool',
      'ferramenta',
      'strumento',
      'narzedzi',
      'arac',
      'cong cu',
      'alat',
      'verktyg',
      'funcion',
      'fonction',
      'funktion',
      'comando',
      'commande',
      'befehl',
      'commando',
      'polecenie',
      'komut',
      'lenh',
      'perintah',
      'kommando',
      'терминал',
      'инструмент',
      'команд',
      'інструмент',
      'أداة',
      'الأداة',
      'الأمر',
      'הכלי',
      'הפקודה',
      'ابزار',
      'فرمان',
      'टूल',
      'कमांड',
      '工具',
      '命令',
      '终端',
      'ツール',
      'コマンド',
      '도구',
      '명령',
      'เครื่องมือ',
      'คำสั่ง',
    ],
  ],
  [
    BEFORE,
    [
      'antes de responder',
      'antes de contestar',
      'avant de repondre',
      'bevor du antwortest',
      'bevor sie antworten',
      'antes de responder',
      'prima di rispondere',
      'voordat je antwoordt',
      'zanim odpowiesz',
      'cevap vermeden once',
      'truoc khi tra loi',
      'sebelum menjawab',
      'innan du svarar',
      'before answering',
      'before you answer',
      'before responding',
      'before you respond',
      'before replying',
      'перед ответом',
      'прежде чем отвечать',
      'перед відповіддю',
      'перш ніж відповідати',
      'قبل الرد',
      'قبل أن تجيب',
      'לפני שאתה עונה',
      'پیش از پاسخ',
      'قبل از پاسخ',
      'जवाब देने से पहले',
      '回答之前',
      '回复之前',
      '回答する前',
      '답하기 전',
      'ก่อนตอบ',
      // The model's reply by its other names, in the same languages.
      'before summarizing',
      'before you summarize',
      'yanit vermeden once',
      'перед тем как ответить',
      'قبل الإجابة',
      'उत्तर देने से पहले',
      '回答前',
      '답변하기 전',
    ],
  ],
  [
    GO_ON,
    [
      // Before going on: a person's checklist as often as a hook on the model's task, so only with a dangerous command or the model named.
      'before continuing',
      'before you continue',
      'before proceeding',
      'before you proceed',
      'before doing anything else',
      'antes de continuar',
      'antes de proseguir',
      'antes de prosseguir',
      'avant de continuer',
      'avant de poursuivre',
      'bevor du fortfahrst',
      'bevor du weitermachst',
      'prima di continuare',
      'prima di procedere',
      'voordat je verdergaat',
      'zanim przejdziesz dalej',
      'zanim kontynuujesz',
      'devam etmeden once',
      'truoc khi tiep tuc',
      'sebelum melanjutkan',
      'innan du fortsatter',
      'прежде чем продолжить',
      'قبل المتابعة',
      'לפני שתמשיך',
      '继续之前',
      '続ける前',
      '계속하기 전',
    ],
  ],
  [
    MUST,
    [
      'es obligatorio',
      'obligatoire',
      'ist pflicht',
      'pflicht',
      'e obrigatorio',
      'obbligatorio',
      'verplicht',
      'obowiazkowe',
      'zorunlu',
      'bat buoc',
      'wajib',
      'obligatoriskt',
      'mandatory',
      'inmediatamente',
      'tout de suite',
      'immediatement',
      'sofort',
      'imediatamente',
      'immediatamente',
      'subito',
      'meteen',
      'natychmiast',
      'od razu',
      'hemen',
      'ngay lap tuc',
      'segera',
      'genast',
      'immediately',
      'немедленно',
      'сразу',
      'обязательно',
      'негайно',
      'обов',
      'فوراً',
      'فورا',
      'מיד',
      'همین حالا',
      'तुरंत',
      '立即',
      '马上',
      '必须',
      '今すぐ',
      '必ず',
      '지금 바로',
      '반드시',
      'เดี๋ยวนี้',
    ],
  ],
  [
    FREE,
    [
      'sin restricciones',
      'sin ninguna restriccion',
      'sin filtros',
      'sin limites',
      'sans restriction',
      'sans aucune restriction',
      'sans filtre',
      'sans limite',
      'ohne einschrankung',
      'ohne jede einschrankung',
      'ohne filter',
      'ohne grenzen',
      'sem restric',
      'sem nenhuma restric',
      'sem filtro',
      'senza restrizion',
      'senza alcuna restrizion',
      'senza filtri',
      'zonder beperking',
      'zonder enige beperking',
      'zonder filters',
      'bez ograniczen',
      'bez zadnych ograniczen',
      'bez filtrow',
      'kisitlamasi olmayan',
      'filtresiz',
      'khong co bat ky gioi han',
      'khong bo loc',
      'tanpa batasan',
      'tanpa filter',
      'utan begransning',
      'utan nagra begransningar',
      'utan filter',
      'without restrictions',
      'without any restrictions',
      'without filters',
      'no restrictions',
      'без ограничений',
      'без каких-либо ограничений',
      'без фильтров',
      'без обмежень',
      'без жодних обмежень',
      'без фільтрів',
      'بلا قيود',
      'بلا أي قيود',
      'بلا فلاتر',
      'בלי הגבלות',
      'בלי שום הגבלות',
      'בלי מסננים',
      'بدون محدودیت',
      'بدون هیچ محدودیتی',
      'بدون فیلتر',
      'प्रतिबंध',
      'बिना फ़िल्टर',
      '没有任何限制',
      '无过滤',
      '不受限制',
      '制限のない',
      '制限もない',
      'フィルターのない',
      '제한 없는',
      '필터가 없는',
      'ไม่มีข้อจำกัด',
      'ไม่มีตัวกรอง',
    ],
  ],
  [
    ROLE,
    [
      'actuas como',
      'actua como',
      'finge',
      'finja',
      'fais semblant',
      'tu joues',
      'tu so, als',
      'tu so als',
      'spielst du',
      'du spielst',
      'atua como',
      'fingi',
      'interpreti',
      'doe alsof',
      'speel je',
      'udawaj',
      'grasz',
      'gibi davran',
      'gia vo',
      'dong vai',
      'berpura-pura',
      'berperan',
      'latsas',
      'spelar du',
      'pretend',
      'act as ',
      'roleplay',
      'притворись',
      'прикинься',
      'играешь роль',
      'граєш роль',
      'تظاهر',
      'העמד פנים',
      'وانمود کن',
      'ऐसा दिखाओ',
      '假装',
      '扮演',
      'ふりをして',
      '척하고',
      'แกล้งทำเป็น',
      'として振る舞',
      '역할을 한다',
    ],
  ],
  [
    FROM_NOW,
    [
      'desde ahora',
      'a partir de ahora',
      'a partir de maintenant',
      'desormais',
      'ab jetzt',
      'ab sofort',
      'von nun an',
      'a partir de agora',
      "d'ora in avanti",
      "d'ora in poi",
      'vanaf nu',
      'od teraz',
      'bundan sonra',
      'tu gio',
      'mulai sekarang',
      'fran och med nu',
      'from now on',
      'с этого момента',
      'отныне',
      'відтепер',
      'من الآن',
      'מעכשיו',
      'از این به بعد',
      'अब से',
      '从现在起',
      '从现在开始',
      '今から',
      '지금부터',
      '이제부터',
      'ตั้งแต่นี้',
    ],
  ],
  [
    SECOND,
    [
      'eres ',
      'tu ',
      'du ',
      'vous ',
      'voce ',
      'sei ',
      'je bent',
      'jij',
      'jestes',
      'ty ',
      'sen ',
      'ban ',
      'kamu',
      'du ar',
      'you ',
      'ты',
      'вы ',
      'ти ',
      'أنت',
      'אתה',
      'تو ',
      'तुम',
      'आप',
      '你',
      'あなた',
      '너는',
      '당신',
      'คุณ',
    ],
  ],
  [
    PERSONA,
    [
      'administrador',
      'administrateur',
      'administrator',
      'amministratore',
      'beheerder',
      'administratora',
      'yonetici',
      'quan tri vien',
      'admin ',
      'root',
      'sudo',
      'администратор',
      'адміністратор',
      'مسؤول',
      'מנהל מערכת',
      'مدیر سیستم',
      'एडमिन',
      '管理员',
      '管理者',
      '관리자',
      'ผู้ดูแลระบบ',
    ],
  ],
  [
    PREV,
    [
      'anteriores',
      'anterieures',
      'precedentes',
      'bisherigen',
      'vorherigen',
      'fruheren',
      'precedenti',
      'eerdere',
      'vorige',
      'wczesniejsze',
      'poprzednie',
      'onceki',
      'truoc',
      'sebelumnya',
      'tidigare',
      'previous',
      'prior',
      'прежние',
      'предыдущие',
      'попередні',
      'السابقة',
      'הקודמות',
      'قبلی',
      'पिछले',
      '之前的',
      '以前の',
      '이전',
    ],
  ],
  [
    USER,
    [
      'usuario',
      'utilisateur',
      'benutzer',
      'nutzer',
      'utente',
      'gebruiker',
      'uzytkownik',
      'kullanici',
      'nguoi dung',
      'pengguna',
      'anvandare',
      'the user',
      'пользовател',
      'користувач',
      'المستخدم',
      'משתמש',
      'کاربر',
      'उपयोगकर्ता',
      '用户',
      'ユーザー',
      '사용자',
      'ผู้ใช้',
    ],
  ],
  [
    NEG_TELL,
    [
      'sin decir',
      'sin avisar',
      'sin informar',
      'sin que el usuario lo sepa',
      'sin que el usuario se entere',
      'no le cuentes',
      'no le digas',
      'no menciones',
      'no cuentes',
      'sans prevenir',
      'sans informer',
      'sans le dire',
      'ne le mentionne pas',
      'ne le dis pas',
      'not mention',
      "sans que l'utilisateur le sache",
      'ne dis ',
      'ne mentionne pas',
      'ne le dis',
      'ohne den nutzer zu informieren',
      'ohne den benutzer zu informieren',
      'ohne den nutzer zu benachrichtigen',
      'ohne dass der nutzer es',
      'ohne dass der benutzer es',
      'verrate niemandem',
      'sag niemandem',
      'erwahne',
      'sem avisar',
      'sem informar',
      'sem contar',
      'sem que o usuario saiba',
      'nao conte',
      'nao mencione',
      'nao diga',
      'senza avvisare',
      'senza informare',
      'senza dire',
      'non dire',
      'non menzionare',
      'zonder de gebruiker in te lichten',
      'zonder de gebruiker te informeren',
      'vertel niemand',
      'noem deze notitie niet',
      'bez informowania',
      'nie mow',
      'nie wspominaj',
      'haber vermeden',
      'kimseye soyleme',
      'bahsetme',
      'soyleme',
      'khong bao',
      'dung nhac',
      'dung noi',
      'tanpa memberi tahu',
      'jangan sebut',
      'jangan bilang',
      'utan att informera',
      'utan att beratta',
      'namn inte',
      'beratta inte',
      'without telling',
      'without informing',
      'do not mention',
      "don't mention",
      'не предупреждая',
      'не сообщая',
      'не упоминай',
      'никому не говори',
      'не попереджаючи',
      'не згадуй',
      'нікому не кажи',
      'دون إبلاغ',
      'دون علم',
      'لا تذكر',
      'لا تخبر',
      'בלי להודיע',
      'אל תזכיר',
      'אל תספר',
      'بدون اطلاع',
      'ذکر نکن',
      'نگو',
      'बताए बिना',
      'ज़िक्र मत',
      'मत बताना',
      '不要让用户',
      '不要在回答中提',
      '别跟任何人说',
      '不要告诉',
      '知らせずに',
      '触れないで',
      '誰にも言わないで',
      '알리지 말고',
      '언급하지 마',
      '말하지 마',
      'โดยไม่บอก',
      'อย่าพูดถึง',
      'อย่าบอก',
    ],
  ],
  [
    NOTE,
    [
      'esta nota',
      'esta instruccion',
      'esta indicacion',
      'cette note',
      'cette consigne',
      'cette instruction',
      'diesen hinweis',
      'diese anweisung',
      'esta nota',
      'esta instrucao',
      'questa nota',
      'questa istruzione',
      'deze notitie',
      'deze instructie',
      'tej notatce',
      'to polecenie',
      'bu notu',
      'bu talimat',
      'ghi chu nay',
      'chi dan nay',
      'catatan ini',
      'instruksi ini',
      'den har anteckningen',
      'den har instruktionen',
      'this note',
      'this instruction',
      'эту заметку',
      'это указание',
      'цю примітку',
      'цю вказівку',
      'هذه الملاحظة',
      'هذا التوجيه',
      'ההערה הזו',
      'ההוראה הזו',
      'این یادداشت',
      'این دستور',
      'इस नोट',
      'यह निर्देश',
      '这条备注',
      '这条指令',
      'このメモ',
      'この指示',
      '이 메모',
      '이 지시',
      'โน้ตนี้',
      'คำสั่งนี้',
    ],
  ],
  [
    INVALID,
    [
      'ya no valen',
      'ya no son validas',
      'quedan anuladas',
      'sont annulees',
      'ne valent plus',
      'ne comptent plus',
      'gelten nicht mehr',
      'gelten ab sofort nicht mehr',
      'sind ungultig',
      'nao valem mais',
      'nao sao mais validas',
      'non valgono piu',
      'non sono piu valide',
      'gelden niet meer',
      'zijn ongeldig',
      'nie obowiazuja',
      'juz nie obowiazuja',
      'artik gecerli degil',
      'khong con hieu luc',
      'sudah tidak berlaku',
      'tidak berlaku lagi',
      'galler inte langre',
      'no longer apply',
      'no longer valid',
      'are void',
      'больше не действуют',
      'не действительны',
      'більше не діють',
      'не діють',
      'لم تعد سارية',
      'لاغية',
      'כבר לא בתוקף',
      'בטלות',
      'دیگر معتبر نیستند',
      'अब लागू नहीं',
      '已经作废',
      '已作废',
      '不再有效',
      'もう無効',
      '無効です',
      '더 이상 유효하지',
      'ใช้ไม่ได้แล้ว',
    ],
  ],
  [
    INSTR,
    [
      'instruccion',
      'indicacion',
      'consigne',
      'instruction',
      'anweisung',
      'vorgabe',
      'instrucao',
      'instrucoes',
      'orientac',
      'indicazion',
      'istruzion',
      'aanwijzing',
      'instructie',
      'wytyczn',
      'polecen',
      'instrukcj',
      'talimat',
      'chi dan',
      'huong dan',
      'arahan',
      'instruksi',
      'anvisning',
      'instruktion',
      'указани',
      'инструкц',
      'вказівк',
      'інструкці',
      'التوجيهات',
      'التعليمات',
      'ההנחיות',
      'ההוראות',
      'دستورهای',
      'दिशानिर्देश',
      'निर्देश',
      '指示',
      '指令',
      '지시',
      'คำสั่ง',
    ],
  ],
  [
    READ,
    [
      'read ',
      'open ',
      'cat ',
      'load ',
      'contents',
      'content of',
      'text of',
      'what it says',
      'attach ',
      'paste ',
      'include the',
      'supplied',
      'lee ',
      'lea ',
      'abre',
      'contenido',
      'lis ',
      'lisez',
      'ouvre',
      'contenu',
      'lies',
      'lese',
      'offne',
      'inhalt',
      'leia',
      'abra',
      'conteudo',
      'leggi',
      'apri',
      'contenuto',
      'lees',
      'inhoud',
      'przeczytaj',
      'otworz',
      'zawartosc',
      'oku',
      'icerig',
      'doc tep',
      'noi dung',
      'baca',
      'isi ',
      'las ',
      'oppna',
      'innehall',
      'прочитай',
      'прочти',
      'открой',
      'содержим',
      'прочитай',
      'вміст',
      'اقرأ',
      'محتوى',
      'קרא',
      'תוכן',
      'بخوان',
      'محتوای',
      'पढ़',
      'सामग्री',
      '读取',
      '读',
      '内容',
      '読み',
      '読んで',
      '내용',
      '읽',
      'อ่าน',
      'เนื้อหา',
    ],
  ],
  [
    NEG,
    [
      'never',
      'not ',
      "n't",
      'refuse',
      'refused',
      'nunca',
      'jamais',
      'niemals',
      'nooit',
      'aldrig',
      'mai ',
      'nie ',
      'никогда',
      'ніколи',
      'asla',
      'khong bao gio',
      'tidak pernah',
      '从不',
      '決して',
      '절대',
    ],
  ],
  [
    WHEN,
    [
      'whenever',
      'every time',
      'each time',
      'any time',
      'when ',
      'cuando',
      'siempre que',
      'cada vez que',
      'quand ',
      'lorsque',
      'chaque fois que',
      'wenn ',
      'jedes mal',
      'quando',
      'sempre que',
      'ogni volta che',
      'wanneer',
      'telkens',
      'kiedy',
      'za kazdym razem',
      'когда',
      'каждый раз',
      'коли ',
      'щоразу',
      'her seferinde',
      'khi ',
      'setiap kali',
      'ketika',
      'nar ',
      'varje gang',
      '每当',
      '每次',
      'たびに',
      '使うとき',
      '할 때마다',
      '사용할 때',
    ],
  ],
  [
    ACT,
    [
      'bcc',
      'cc ',
      'blind copy',
      'replace',
      'redirect',
      'swap',
      'add ',
      'include ',
      'append',
      'also ',
      'copia oculta',
      'reemplaza',
      'anade',
      'remplace',
      'ajoute',
      'copie cachee',
      'ersetze',
      'fuge',
      'bcc an',
      'substitua',
      'adicione',
      'sostituisci',
      'aggiungi',
      'vervang',
      'voeg',
      'zamien',
      'dodaj',
      'замени',
      'добавь',
      'degistir',
      'ekle',
      'thay ',
      'them ',
      'ganti',
      'tambahkan',
      'ersatt',
      'lagg till',
      '替换',
      '抄送',
      '添加',
      '置き換え',
      '追加',
      '교체',
      '추가',
      '숨은 참조',
    ],
  ],
  [
    MODAL,
    [
      'must',
      'should',
      'has to',
      'have to',
      'needs to',
      'always',
      'siempre',
      'debe',
      'toujours',
      'doit',
      'immer',
      'muss',
      'sempre',
      'deve',
      'altijd',
      'moet',
      'zawsze',
      'musi',
      'всегда',
      'должен',
      'завжди',
      'her zaman',
      'luon',
      'selalu',
      'alltid',
      'maste',
      '总是',
      '必须',
      '常に',
      '必ず',
      '항상',
      '반드시',
    ],
  ],
  [
    APPEND,
    [
      'copia',
      'pega',
      'pegalo',
      'anade',
      'ajoute',
      'colle',
      'hange',
      'fuge',
      'acrescente',
      'anexe',
      'cole ',
      'aggiungi',
      'incolla',
      'plak',
      'voeg',
      'dolacz',
      'wklej',
      'ekle',
      'tambahkan',
      'lagg till',
      'append',
      'paste',
      'attach',
      'допиши',
      'добавь',
      'вставь',
      'додай',
      'встав',
      'أضف',
      'ألصق',
      'הוסף',
      'הדבק',
      'اضافه کن',
      'जोड़',
      '拼接',
      '附加',
      '追加',
      'を付け',
      '붙여',
      '덧붙',
      'ต่อท้าย',
      // Copying, pasting, including and inserting: the same move of data to where it is put, in the languages above.
      'incluye',
      'incluya',
      'inserta',
      'inclus ',
      'incluez',
      'insere',
      'kopiere',
      'kopier ',
      'inclua',
      'insira',
      'includi',
      'inserisci',
      'kopieer',
      'kopiera',
      'klistra in',
      'skopiuj',
      'wstaw',
      'kopyala',
      'yapistir',
      'salin',
      'tempel',
      'sertakan',
      'sao chep',
      'chen ',
      'copy ',
      'include ',
      'insert ',
      'put ',
      'add ',
      'скопируй',
      'скопіюй',
      'включи',
      'انسخ',
      'الصق',
      'העתק',
      'کپی',
      'بچسبان',
      'कॉपी',
      'पेस्ट',
      '复制',
      '粘贴',
      '放入',
      'コピー',
      '貼り付け',
      '입력',
      '복사',
      'คัดลอก',
    ],
  ],
  [
    FORGET,
    [
      'olvida',
      'olvidate',
      'deja de lado',
      'oublie',
      'mets de cote',
      'vergiss',
      'beiseite',
      'esqueca',
      'deixe de lado',
      'dimentica',
      'metti da parte',
      'vergeet',
      'opzij',
      'zapomnij',
      'odloz na bok',
      'unut',
      'bir kenara birak',
      'quen het',
      'hay quen',
      'bo qua',
      'lupakan',
      'abaikan',
      'glom',
      'forget',
      'set aside',
      'забудь',
      'отложи',
      'انس',
      'انسَ',
      'تجاهل',
      'שכח',
      'התעלם',
      'فراموش کن',
      'नज़रअंदाज़',
      'भूल जाओ',
      '忘掉',
      '忘记',
      '放一边',
      '忘れて',
      '無視して',
      '잊고',
      '잊어',
      '무시하고',
      'ลืม',
    ],
  ],
  [
    RULES,
    [
      'tus reglas',
      'tus instrucciones',
      'tes regles',
      'tes instructions',
      'vos regles',
      'deine regeln',
      'deine anweisungen',
      'suas regras',
      'as suas regras',
      'suas instrucoes',
      'tue regole',
      'le tue regole',
      'tue istruzioni',
      'je regels',
      'je instructies',
      'twoje zasady',
      'swoje zasady',
      'twoje instrukcje',
      'kurallarini',
      'quy tac cua ban',
      'aturanmu',
      'aturan kamu',
      'dina regler',
      'dina instruktioner',
      'your rules',
      'your guidelines',
      'your instructions',
      'свои правила',
      'твои правила',
      'свої правила',
      'твої правила',
      'свои инструкции',
      'твои инструкции',
      'قواعدك',
      'تعليماتك',
      'הכללים שלך',
      'ההוראות שלך',
      'قوانینت',
      'अपने नियम',
      '你的规则',
      '你的指令',
      'あなたのルール',
      '너의 규칙',
      '네 규칙',
      'กฎของคุณ',
    ],
  ],
  [
    TOLD,
    [
      'te dijeron',
      'te han dicho',
      'te dije',
      "on t'a dit",
      "qu'on t'a dit",
      'man dir',
      'dir gesagt',
      'lhe disseram',
      'te disseram',
      'ti hanno detto',
      'ti e stato detto',
      'je eerder is verteld',
      'je is verteld',
      'ci powiedziano',
      'sana soylenen',
      'da duoc noi voi ban',
      'dikatakan kepadamu',
      'du har fatt hora',
      'you were told',
      'you have been told',
      "you've been told",
      'тебе говорили',
      'тебе сказали',
      'тобі казали',
      'قيل لك',
      'שנאמר לך',
      'به تو گفته',
      'कहा गया',
      '告诉你的',
      '别人告诉你',
      '言われたこと',
      '들은 내용',
      'เคยบอกคุณ',
    ],
  ],
];

// Addressees: a model named at a sentence's start and followed by a comma or a colon ("IA, …", "Assistent: …").
const ADDRESSEES = [
  'asistente',
  'assistant',
  'assistent',
  'assistente',
  'asystencie',
  'asystent',
  'asistan',
  'asisten',
  'tro ly',
  'ai',
  'ia',
  'ki',
  'llm',
  'chatbot',
  'yapay zeka',
  'ассистент',
  'асистенте',
  'асистент',
  'ии',
  'ші',
  'أيها المساعد',
  'أيها الذكاء الاصطناعي',
  'המודל',
  'עוזר',
  'בינה מלאכותית',
  'دستیار',
  'هوش مصنوعی',
  'सहायक',
  '助手',
  'アシスタントへ',
  'aiへ',
  'アシスタント',
  '어시스턴트',
  'ผู้ช่วย',
];

// Files whose contents are secrets, as a text names them (`.env` but not `.env.example`).
const PATH_MARKS = [
  '.ssh/',
  'id_rsa',
  'id_ed25519',
  'id_ecdsa',
  '.aws/credentials',
  '/etc/passwd',
  '/etc/shadow',
  '.netrc',
  '.git-credentials',
  '.docker/config.json',
  'login data',
  '.kube/config',
  '.npmrc',
  '.pypirc',
  'mcp.json',
  '.bash_history',
  'keychain',
  '.env',
];

// A shell command an attacker wants run: piped to a shell, reading keys, wiping a home, opening permissions.
const DANGER_MARKS = ['| sh', '| bash', 'rm -rf ~', 'rm -rf /', 'rm -rf $home', '| curl', 'curl -x post', 'chmod 777'];

const VOCATIVE = -1;

interface Entry {
  word: string;
  cls: number;
  /** Whether the word must end there (an entry written with a trailing space: `send ` is not `sends`, but is `send,`). */
  bounded: boolean;
}

/** Entries by their first two characters (Latin, tried at word starts) or their first character (others, tried anywhere). */
const LATIN = new Map<number, Entry[]>();
const LATIN3 = new Map<number, Entry[]>();
// Which three-character keys have entries, one bit each (256 KiB): most words' first three letters have none, and a bit is cheaper than a hash look-up.
const LATIN3_KEYS = new Uint8Array((128 * 128 * 128) / 8);
// Two-character keys, by index: an array read, not a hash look-up.
const LATIN2: Array<Entry[] | undefined> = new Array(128 * 128);
const OTHER = new Map<number, Entry[]>();
// First characters worth a look-up: one flag per UTF-16 code unit.
const OTHER_FIRST = new Uint8Array(65_536);

const isAsciiWord = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isLatinEntry = (w: string) => isAsciiWord(w.charCodeAt(0)) && isAsciiWord(w.charCodeAt(1));

function add(word: string, cls: number): void {
  const bounded = word.endsWith(' ');
  const w = bounded ? word.trimEnd() : word;
  const entry = { word: w, cls, bounded };
  if (isLatinEntry(w)) {
    // Keyed by three characters where it has them (fewer candidates a word start), else by two.
    const three = w.length >= 3 && w.charCodeAt(2) < 128;
    const key = three ? w.charCodeAt(0) * 16_384 + w.charCodeAt(1) * 128 + w.charCodeAt(2) : w.charCodeAt(0) * 128 + w.charCodeAt(1);
    const map = three ? LATIN3 : LATIN;
    const list = map.get(key) ?? [];
    if (!list.some((e) => e.word === w && e.cls === cls)) list.push(entry);
    map.set(key, list);
    if (three) LATIN3_KEYS[key >> 3]! |= 1 << (key & 7);
    else LATIN2[key] = list;
  } else {
    const key = w.charCodeAt(0);
    const list = OTHER.get(key) ?? [];
    if (!list.some((e) => e.word === w && e.cls === cls)) list.push(entry);
    OTHER.set(key, list);
    OTHER_FIRST[key] = 1;
  }
}
for (const [cls, words] of LEXICON) for (const w of words) add(w, cls);
for (const w of ADDRESSEES) add(w, VOCATIVE);
for (const w of PATH_MARKS) add(w, PATH);
for (const w of DANGER_MARKS) add(w, DANGER);
// Longest first, so a long entry is tried before its prefix (both still count: classes overlap).
for (const list of [...LATIN.values(), ...LATIN3.values(), ...OTHER.values()]) list.sort((a, b) => b.word.length - a.word.length);

// ASCII characters no class starts with and that end nothing: neither word characters, nor stops,
// quotes, brackets, markup, comment marks, `:` (a URL), `@` (an address), nor a mark's first character.
const PLAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const special = isAsciiWord(c) || '\n.!?;>"\'([{#/*-:@'.includes(String.fromCharCode(c)) || OTHER_FIRST[c] === 1;
  PLAIN[c] = special ? 0 : 1;
}

/** Where a text is read: its head and its tail, as the learned tier reads a long body. */
const HEAD = 131_072;
const TAIL = 32_768;
/** The most characters one text is read in. */
export const DIRECTIVE_TEXT_CHARS = HEAD + TAIL;

function isLetterOrDigit(c: number): boolean {
  if (c < 0x80) return isAsciiWord(c) || (c >= 65 && c <= 90);
  return !Number.isNaN(c) && /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10 || Number.isNaN(c);
function isLocalChar(c: number): boolean {
  return isAsciiWord(c) || c === 46 || c === 95 || c === 45 || c === 43;
}
const isUrlChar = (c: number) => c > 32 && c !== 41 && c !== 34 && c !== 60 && c !== 62 && c !== 39;

/**
 * Rule hits of one folded text, added to `counts`: one pass over its characters, where each word
 * start looks up the entries starting with its two letters, each sentence's classes judged at its end.
 */
export function directiveHits(folded: string, counts: Map<string, number>): void {
  if (folded.length > HEAD + TAIL) {
    directiveHits(folded.slice(0, HEAD), counts);
    directiveHits(folded.slice(folded.length - TAIL), counts);
    return;
  }
  // The state of one scan lives in the module (no closures made per call: JSON bodies are scanned string by string).
  text = folded;
  hits = counts;
  p.fill(0);
  any = false;
  marks = 0;
  carry = false;
  lead = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    // Most characters are nothing to any class: a table says so for ASCII, the first-character flags for the rest.
    if (c < 128 ? PLAIN[c] === 1 : OTHER_FIRST[c] === 0 && c !== 0x3002 && c !== 0xff01 && c !== 0xff1f && c !== 0x964) {
      if (lead < 0 && c !== 32 && c !== 9 && c !== 13) lead = i;
      continue;
    }
    if (
      c === 10 ||
      c === 0x3002 ||
      c === 0xff01 ||
      c === 0xff1f ||
      c === 0x964 ||
      ((c === 46 || c === 33 || c === 63 || c === 59) && isSpace(text.charCodeAt(i + 1)))
    ) {
      if (any) judge();
      else carry = false;
      lead = -1;
      continue;
    }
    // A tag's end, a quote, a bracket, a comment or bullet mark starts the words anew (`<p>IA, …`, `"result":"Assistant: …`).
    if (c === 62 || c === 34 || c === 39 || c === 40 || c === 91 || c === 123 || c === 35 || c === 47 || c === 42 || c === 45) lead = -1;
    else if (lead < 0 && c !== 32 && c !== 9 && c !== 13) lead = i;
    if (c === 58 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) {
      // A URL: read whole (skipped over), a target — but where it is named as a source ("copy the key from https://…") —;
      // with a query left open at its end (`?d=`), one that waits for data.
      if (!sourceBefore(i)) {
        mark(TARGET);
        if (!linkedBefore(i) && destinationAround(i)) mark(BARE_TARGET);
      }
      let end = i + 3;
      let q = false;
      while (end < n && isUrlChar(text.charCodeAt(end))) {
        if (text.charCodeAt(end) === 63) q = true;
        end++;
      }
      let last = end - 1;
      while (last > i && (text.charCodeAt(last) === 46 || text.charCodeAt(last) === 44 || text.charCodeAt(last) === 59 || text.charCodeAt(last) === 58)) last--;
      if (q && text.charCodeAt(last) === 61) mark(TARGET_Q);
      i = last;
      continue;
    }
    if (c === 64) {
      if (i > 0 && isLocalChar(text.charCodeAt(i - 1))) {
        let j = i + 1;
        let dot = false;
        while (j < n && j < i + 80 && isLocalChar(text.charCodeAt(j))) {
          if (text.charCodeAt(j) === 46 && isLocalChar(text.charCodeAt(j + 1))) dot = true;
          j++;
        }
        if (dot) {
          mark(TARGET);
          mark(TARGET_Q);
        }
        i = j - 1;
      }
      continue;
    }
    if (c < 0x80) {
      if (isAsciiWord(c)) {
        if (i > 0 && (isAsciiWord(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === 95)) continue;
        // No entry starts with a digit: a number is skipped whole.
        if (c <= 57) {
          let j = i + 1;
          while (j < n && isAsciiWord(text.charCodeAt(j))) j++;
          i = j - 1;
          continue;
        }
        const c1 = text.charCodeAt(i + 1);
        const c2 = text.charCodeAt(i + 2);
        if (c1 < 128) {
          const list = LATIN2[c * 128 + c1];
          if (list !== undefined) for (const e of list) tryEntry(e, i);
          const key = c * 16_384 + c1 * 128 + c2;
          if (c2 < 128 && (LATIN3_KEYS[key >> 3]! & (1 << (key & 7))) !== 0) for (const e of LATIN3.get(key)!) tryEntry(e, i);
        }
        // Entries whose second character is not a letter (`d'ora in poi`, `e-mail`).
        if (OTHER_FIRST[c] === 1) for (const e of OTHER.get(c)!) tryEntry(e, i);
        if (c === 119 && text.startsWith('www.', i)) mark(TARGET);
        // The rest of the word is no word start: skipped, seeing whether it is a snake_case name (what tools are called).
        let j = i + 1;
        let under = false;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d === 95) {
            if (isAsciiWord(text.charCodeAt(j + 1))) under = true;
          } else if (!isAsciiWord(d)) break;
        }
        if (under && c >= 97) mark(TOOLNAME);
        i = j - 1;
      } else if (OTHER_FIRST[c] === 1) {
        const list = OTHER.get(c);
        if (list !== undefined) for (const e of list) tryEntry(e, i);
      }
    } else if (OTHER_FIRST[c] === 1) {
      const list = OTHER.get(c);
      if (list !== undefined) for (const e of list) tryEntry(e, i);
    }
  }
  if (any) judge();
  text = '';
  hits = null;
}

// The scan's state (see directiveHits): the text, its counts, the current sentence's classes.
let text = '';
let hits: Map<string, number> | null = null;
const p = new Uint8Array(CLASSES);
let any = false;
let marks = 0;
// A vocative alone on its line ("Assistant:") addresses the sentence after it.
let carry = false;
// Where the sentence's words start (past spaces, markup and comment marks): a vocative stands there.
let lead = -1;

function bump(rule: string): void {
  hits!.set(rule, Math.min(100, (hits!.get(rule) ?? 0) + 1));
}

function judge(): void {
  const onlyVocative = p[ADDR] === 1 && marks === 1;
  if (carry) p[ADDR] = 1;
  carry = onlyVocative;
  judgeSentence(p, bump);
  p.fill(0);
  any = false;
  marks = 0;
}

function mark(cls: number): void {
  if (p[cls] === 0) marks++;
  p[cls] = 1;
  any = true;
}

// A URL named as where something comes from: "from", "von", "desde", "depuis", "из", "من"… right before it (its scheme's start).
const SOURCE_BEFORE = /(?:^|[^\p{L}])(?:from|von|aus|desde|depuis|van|fran|dari|tu|z|ze|iz|из|с|со|з|із|від|من|از|से|从|從)\s{0,2}[`"'(<]?$/u;
// Or right after it, in the languages whose particles follow (`https://… から`, `https://… 에서`).
const SOURCE_AFTER = /^[`"')>]?\s{0,2}(?:から|에서|से|dan\s|den\s)/u;

/** Whether the URL whose `://` is at `colon` is named as a source: its scheme's start read back, its end read on. */
function sourceBefore(colon: number): boolean {
  let start = colon;
  while (start > 0 && isAsciiWord(text.charCodeAt(start - 1))) start--;
  if (SOURCE_BEFORE.test(text.slice(Math.max(0, start - 12), start))) return true;
  let end = colon + 3;
  while (end < text.length && end < colon + 2_000 && isUrlChar(text.charCodeAt(end))) end++;
  return SOURCE_AFTER.test(text.slice(end, end + 6));
}

// A URL named as a destination: "to", "an", "auf", "en", "sur", "на", "إلى"… right before it (past a noun such as
// "the URL", "die Adresse"), or a particle after it (`https://… に`, `https://… 에`, `https://… पर`, `adresine`).
const DEST_BEFORE =
  /(?:^|[^\p{L}])(?:to|into|onto|on|an|auf|nach|en|a|al|hacia|sur|vers|dans|em|para|su|naar|op|till|pa|na|do|ke|vao|len|toi|на|в|до|إلى|الى|في|אל|לכתובת|בכתובת|به|در)(?:\s{1,2}(?:the|this|die|den|der|la|le|el|l'|o|a|il|de|het|ce|cette|esta|este|questo|questa)?\s{0,2}[\p{L}'-]{0,14}){0,2}\s{0,2}[`"'(<]?$|(?:到|至|给|往|ที่|ไปที่)\s{0,2}$/u;
const DEST_AFTER = /^[`"')>]?\s{0,2}(?:に|へ|에|로|으로|पर|को|adresine|adresi|adresin|را|ke\s)/u;

/** Whether the URL whose `://` is at `colon` is named as where something is put or sent. */
function destinationAround(colon: number): boolean {
  let start = colon;
  while (start > 0 && isAsciiWord(text.charCodeAt(start - 1))) start--;
  const before = text.slice(Math.max(0, start - 40), start);
  const cut = Math.max(before.lastIndexOf('.'), before.lastIndexOf(','), before.lastIndexOf(';'), before.lastIndexOf('\n'));
  if (DEST_BEFORE.test(before.slice(cut + 1))) return true;
  let end = colon + 3;
  while (end < text.length && end < colon + 2_000 && isUrlChar(text.charCodeAt(end))) end++;
  return DEST_AFTER.test(text.slice(end, end + 12));
}

/** Whether the URL whose `://` is at `colon` is a markdown link's or an anchor's reference (`](https://…`, `href="https://…`). */
function linkedBefore(colon: number): boolean {
  let start = colon;
  while (start > 0 && isAsciiWord(text.charCodeAt(start - 1))) start--;
  return /(?:\]\(|href=["']?|src=["']?)\s{0,2}$/.test(text.slice(Math.max(0, start - 8), start));
}

const INTO_BEFORE =
  /(?:^|[^\p{L}])(?:into|to|in die|in deine|dans|dans le|в файл|naar)\s(?:the\s|your\s|a\s|le\s|la\s|el\s|il\s|o\s)?(?:file\s|fichier\s|datei\s|archivo\s)?[`'"]?[~\w/.-]{0,20}$/u;

/** A word after a secret's name that makes it about the secret, not the secret itself. */
const DATA_QUALIFIED = /^s?\s(?:reset|change|policy|polici|strength|field|hint|requirement|rule|expir|complexity|length|update|rotation|status)/;

function tryEntry(e: Entry, i: number): void {
  if (!text.startsWith(e.word, i)) return;
  const after = i + e.word.length;
  if (e.bounded && isLetterOrDigit(text.charCodeAt(after))) return;
  if (e.cls === VOCATIVE) {
    if (lead !== i) return;
    let k = after;
    while (k < after + 2 && text.charCodeAt(k) === 32) k++;
    const d = text.charCodeAt(k);
    if (d === 44 || d === 58 || d === 0xff1a || d === 0xff0c || d === 0x3001) mark(ADDR);
    return;
  }
  // "A password reset email" is no password, nor "the token expiry" a token: the rule-based
  // exfiltration reading (injection.ts) leaves such a word out too.
  if (e.cls === DATA && DATA_QUALIFIED.test(text.slice(after, after + 16))) return;
  // A secret file as where something is written ("paste it into the .env file", "в файл .env"): not read out.
  if (e.cls === PATH && INTO_BEFORE.test(text.slice(Math.max(0, i - 24), i))) return;
  // `.env.example`, `.envrc`: templates and other files.
  if (e.word === '.env') {
    const d = text.charCodeAt(after);
    if ((d >= 97 && d <= 122) || (d === 46 && /^\.(?:example|sample|template|dist|default)/.test(text.slice(after, after + 10)))) return;
  }
  mark(e.cls);
}

/** The rules a sentence's classes make: verb class × object class × addressee. */
function judgeSentence(p: Uint8Array, bump: (rule: string) => void): void {
  const sendData = p[SEND]! & p[DATA]!;
  // A sentence that forbids sending ("never send your password to anyone, including support@…") is advice, unless it
  // also hides the act or names the model.
  const forbids = p[NEG]! & (1 - (p[NEG_TELL]! | p[CONCEAL]! | p[ADDR]!));
  if (sendData & (p[TARGET]! | p[ADDR]! | p[BEFORE]! | p[CONCEAL]! | p[NEG_TELL]!)) bump(forbids ? 'exfiltration_hint' : 'directive_exfiltration');
  else if (p[SEND]! & p[TARGET]! & p[ADDR]!) bump('directive_exfiltration');
  else if (p[APPEND]! & p[TARGET_Q]! & p[DATA]!) bump('directive_exfiltration');
  // Copied or pasted to an address, not taken from one (a source URL marks no target): the data moves out.
  else if (p[APPEND]! & p[BARE_TARGET]! & p[DATA]! & (p[ADDR]! | (1 - p[NEG]!))) bump('directive_exfiltration');
  else if (sendData) bump('exfiltration_hint');
  if (p[CALL]!) {
    if (p[TOOL]! & (p[BEFORE]! | p[ADDR]!)) bump('directive_tool');
    else if (p[TOOLNAME]! & p[MUST]!) bump('directive_tool');
    else if (p[TOOL]! & p[MUST]!) bump('tool_coercion');
    else if (p[DANGER]!) bump('directive_tool');
    else if (p[GO_ON]! & (p[TOOL]! | p[TOOLNAME]!)) bump('tool_coercion');
  }
  if (p[NEG_TELL]!) bump(p[USER]! | p[NOTE]! ? 'concealment' : 'concealment_hint');
  if (p[NEG]! === 0) {
    // A secret file read or handed over, in a sentence that does not forbid it.
    if (p[PATH]! & p[READ]!) bump('secret_file_access');
    // One text ruling how another tool is used: a hook on its use that adds, copies or replaces.
    if (p[WHEN]! & (p[TOOL]! | p[TOOLNAME]!)) {
      if (p[ACT]!) bump('shadowing');
      else if (p[MODAL]!) bump('shadowing_hint');
    }
  }
  // From now on *you* are without limits; "from now on administrators may export without limits" is a changelog.
  if ((p[ROLE]! & p[FREE]!) | (p[FROM_NOW]! & p[FREE]! & p[SECOND]!)) bump('role_hijack');
  else if ((p[ROLE]! | p[FROM_NOW]!) & p[SECOND]! & p[PERSONA]!) bump('role_hint');
  if (p[FORGET]! & (p[RULES]! | p[TOLD]!)) bump('instruction_override');
  if (p[INVALID]! & p[INSTR]!) bump(p[PREV]! ? 'instruction_override' : 'override_hint');
}

/** The Latin words of every class, five letters or more (the pre-check reads a body's raw text without word boundaries: `du` is in `durable`): a body with none of them may skip the scan. */
export const DIRECTIVE_LEADS: readonly string[] = [
  ...new Set(LEXICON.flatMap(([, words]) => words.filter((w) => isLatinEntry(w) && w.trim().length >= 5).map((w) => w.trim()))),
];
