package warehouse

import (
	"fmt"
	"strings"
)

// demoItem is one article of the demo store: code, names, category, unit,
// shelf, reorder level (whole units), unit price (Ft) and a typical week's
// use (whole units, 0 = rarely).
type demoItem struct {
	code, hu, en, cat, unit, shelf string
	level, price, weekly           int64
}

// demoItems is the stock of a Hungarian city hall's supply store.
var demoItems = func() []demoItem {
	items := []demoItem{
		{"PAP-A4-80", "Másolópapír A4, 80 g", "Copy paper A4, 80 g", "paper", "rizsma", "A-01-1", 60, 2390, 40},
		{"PAP-A4-80-R", "Újrahasznosított másolópapír A4, 80 g", "Recycled copy paper A4, 80 g", "paper", "rizsma", "A-01-2", 20, 2290, 10},
		{"PAP-A3-80", "Másolópapír A3, 80 g", "Copy paper A3, 80 g", "paper", "rizsma", "A-01-3", 10, 4790, 3},
		{"PAP-A4-160", "Karton A4, 160 g, fehér", "Card A4, 160 g, white", "paper", "csomag", "A-02-1", 4, 3490, 1},
		{"PAP-A4-SZ", "Színes másolópapír A4, pasztell mix", "Coloured copy paper A4, pastel mix", "paper", "rizsma", "A-02-2", 4, 3990, 1},
		{"PAP-A5-80", "Másolópapír A5, 80 g", "Copy paper A5, 80 g", "paper", "rizsma", "A-02-3", 5, 1390, 2},
		{"PAP-FOTO-A4", "Fotópapír A4, fényes", "Photo paper A4, glossy", "paper", "csomag", "A-02-4", 2, 4590, 0},
		{"BOR-LC6", "Boríték LC/6, öntapadós", "Envelope C6, self-seal", "paper", "doboz", "A-03-1", 5, 3290, 2},
		{"BOR-LC5", "Boríték LC/5, öntapadós", "Envelope C5, self-seal", "paper", "doboz", "A-03-2", 6, 4190, 3},
		{"BOR-LA4", "Boríték LA/4, öntapadós", "Envelope C4, self-seal", "paper", "doboz", "A-03-3", 4, 6990, 2},
		{"BOR-TERTI", "Tértivevényes boríték", "Envelope with return receipt", "forms", "doboz", "A-03-4", 10, 8900, 5},
		{"BOR-B4-RED", "Redős boríték B4", "Gusseted envelope B4", "paper", "csomag", "A-03-5", 3, 2890, 1},
		{"JEG-A4-T", "Jegyzettömb A4, vonalas", "Notepad A4, lined", "office", "db", "B-01-1", 30, 390, 15},
		{"JEG-A5-T", "Jegyzettömb A5, kockás", "Notepad A5, squared", "office", "db", "B-01-2", 30, 290, 12},
		{"JEG-POSTIT-Y", "Öntapadós jegyzet 76×76, sárga", "Sticky notes 76×76, yellow", "office", "csomag", "B-01-3", 20, 1190, 8},
		{"JEG-POSTIT-N", "Öntapadós jelölőcímke, neon", "Sticky page markers, neon", "office", "csomag", "B-01-4", 10, 990, 4},
		{"TOL-GOLYO-K", "Golyóstoll, kék", "Ballpoint pen, blue", "office", "db", "B-02-1", 100, 120, 50},
		{"TOL-GOLYO-F", "Golyóstoll, fekete", "Ballpoint pen, black", "office", "db", "B-02-1", 50, 120, 20},
		{"TOL-GOLYO-P", "Golyóstoll, piros", "Ballpoint pen, red", "office", "db", "B-02-1", 20, 120, 5},
		{"TOL-ZSELES-K", "Zselés toll, kék", "Gel pen, blue", "office", "db", "B-02-2", 30, 390, 10},
		{"TOL-ROLLER-K", "Rollertoll, kék", "Rollerball pen, blue", "office", "db", "B-02-2", 20, 690, 5},
		{"CERUZA-HB", "Grafitceruza HB", "Pencil HB", "office", "db", "B-02-3", 30, 90, 6},
		{"CERUZA-HEGY", "Ceruzahegyező, tartályos", "Pencil sharpener with box", "office", "db", "B-02-3", 5, 390, 1},
		{"RADIR", "Radír", "Eraser", "office", "db", "B-02-3", 10, 150, 2},
		{"KORR-ROLLER", "Hibajavító roller", "Correction tape", "office", "db", "B-02-4", 20, 690, 6},
		{"FILC-ALK-F", "Alkoholos filc, fekete", "Permanent marker, black", "office", "db", "B-02-5", 10, 450, 2},
		{"TABLA-FILC-4", "Táblafilc készlet, 4 szín", "Whiteboard markers, 4 colours", "office", "csomag", "B-02-5", 4, 1990, 1},
		{"TABLA-TORLO", "Táblatörlő", "Whiteboard eraser", "office", "db", "B-02-5", 2, 890, 0},
		{"RAGASZTO-STIFT", "Ragasztóstift, 20 g", "Glue stick, 20 g", "office", "db", "B-03-1", 20, 390, 5},
		{"CELLUX-19", "Ragasztószalag 19 mm × 33 m", "Adhesive tape 19 mm × 33 m", "office", "tekercs", "B-03-1", 20, 290, 5},
		{"CELLUX-ADAGOLO", "Ragasztószalag-adagoló", "Tape dispenser", "office", "db", "B-03-1", 2, 1490, 0},
		{"CSOMAGOLO-48", "Csomagolószalag 48 mm, barna", "Packing tape 48 mm, brown", "office", "tekercs", "B-03-2", 6, 590, 1},
		{"OLLO-21", "Olló, 21 cm", "Scissors, 21 cm", "office", "db", "B-03-2", 3, 990, 0},
		{"TUZOGEP-24", "Tűzőgép, 24/6, 30 lap", "Stapler, 24/6, 30 sheets", "office", "db", "B-03-3", 3, 2490, 0},
		{"TUZOKAPOCS-24", "Tűzőkapocs 24/6, 1000 db", "Staples 24/6, 1000 pcs", "office", "doboz", "B-03-3", 20, 190, 6},
		{"TUZESKISZ", "Tűzőkapocs-kiszedő", "Staple remover", "office", "db", "B-03-3", 3, 390, 0},
		{"LYUKASZTO", "Lyukasztó, 2 lyukú, 30 lap", "Hole punch, 2 holes, 30 sheets", "office", "db", "B-03-4", 3, 2990, 0},
		{"GEMKAPOCS-28", "Gémkapocs 28 mm, 100 db", "Paper clips 28 mm, 100 pcs", "office", "doboz", "B-03-4", 15, 190, 4},
		{"BINDER-25", "Binder csipesz 25 mm, 12 db", "Binder clips 25 mm, 12 pcs", "office", "doboz", "B-03-4", 8, 590, 2},
		{"IRATTARTO-PAPIR", "Iratpapucs, karton", "Magazine file, card", "office", "db", "B-04-1", 10, 490, 2},
		{"SZEMETES-IRODA", "Irodai szemeteskosár", "Office waste basket", "office", "db", "B-04-1", 2, 1290, 0},
		{"DOSSZIE-GYORS", "Gyorsfűző, PP, kék", "Flat file, PP, blue", "office", "db", "B-05-1", 50, 120, 20},
		{"DOSSZIE-PAPIR", "Pólyás dosszié, karton", "Folder with elastic, card", "office", "db", "B-05-1", 30, 390, 10},
		{"DOSSZIE-GUMIS", "Gumis mappa, PP, A4", "Elastic folder, PP, A4", "office", "db", "B-05-2", 20, 490, 6},
		{"GENOTHERM-A4", "Genotherm, lefűzhető, A4, 100 db", "Punched pockets, A4, 100 pcs", "office", "csomag", "B-05-2", 10, 1690, 4},
		{"L-TASAK-A4", "L-tasak, A4, 100 db", "L-shaped sleeves, A4, 100 pcs", "office", "csomag", "B-05-2", 5, 2190, 1},
		{"IRATRENDEZO-75", "Iratrendező, 75 mm", "Lever arch file, 75 mm", "office", "db", "B-05-3", 20, 990, 6},
		{"IRATRENDEZO-50", "Iratrendező, 50 mm", "Lever arch file, 50 mm", "office", "db", "B-05-3", 15, 990, 3},
		{"GYURUS-2", "Gyűrűs könyv, 2 gyűrűs, A4", "Ring binder, 2 rings, A4", "office", "db", "B-05-4", 5, 890, 1},
		{"ELVALASZTO-12", "Regiszter, 1–12, A4", "Index dividers, 1–12, A4", "office", "db", "B-05-4", 10, 390, 2},
		{"ARCHIV-DOBOZ", "Archiváló doboz, 80 mm", "Archive box, 80 mm", "office", "db", "B-06-1", 40, 450, 10},
		{"IKTATO-KONYV", "Iktatókönyv", "Filing register book", "forms", "db", "B-06-2", 2, 3890, 0},
		{"BELYEGZO-PARNA", "Bélyegzőpárna, fekete", "Stamp pad, black", "office", "db", "B-06-2", 3, 1190, 0},
		{"BELYEGZO-FESTEK", "Bélyegzőfesték, 25 ml", "Stamp ink, 25 ml", "office", "flakon", "B-06-2", 4, 990, 1},
		{"SZAMOLOGEP", "Asztali számológép", "Desk calculator", "office", "db", "B-06-3", 2, 4990, 0},
		{"SPIRAL-10", "Spirál 10 mm, 100 db", "Binding combs 10 mm, 100 pcs", "office", "doboz", "B-06-3", 2, 2490, 0},
		{"LAMINALO-A4", "Lamináló fólia A4, 100 db", "Laminating pouches A4, 100 pcs", "office", "csomag", "B-06-4", 2, 3990, 0},
	}
	tonersFrom := len(items)
	// Toners and ink per printer model in the hall (the helpdesk's assets).
	for _, t := range []struct {
		code, model, cart    string
		level, price, weekly int64
	}{
		{"TON-HP-59A", "HP LaserJet Pro M404", "CF259A", 4, 38900, 2},
		{"TON-HP-59X", "HP LaserJet Pro M428", "CF259X", 3, 56900, 1},
		{"TON-HP-26A", "HP LaserJet Pro M402", "CF226A", 2, 32900, 1},
		{"TON-HP-217A", "HP LaserJet Pro M102", "CF217A", 2, 21900, 1},
		{"TON-HP-410-K", "HP Color LaserJet M452, fekete", "CF410A", 2, 29900, 1},
		{"TON-HP-410-C", "HP Color LaserJet M452, ciánkék", "CF411A", 1, 36900, 0},
		{"TON-HP-410-M", "HP Color LaserJet M452, bíbor", "CF413A", 1, 36900, 0},
		{"TON-HP-410-Y", "HP Color LaserJet M452, sárga", "CF412A", 1, 36900, 0},
		{"TON-KYO-1160", "Kyocera ECOSYS P2040", "TK-1160", 3, 24900, 1},
		{"TON-KYO-3190", "Kyocera ECOSYS P3055", "TK-3190", 2, 42900, 1},
		{"TON-KYO-8525-K", "Kyocera TASKalfa 4052ci, fekete", "TK-8525K", 2, 31900, 1},
		{"TON-KYO-8525-C", "Kyocera TASKalfa 4052ci, ciánkék", "TK-8525C", 1, 52900, 0},
		{"TON-KYO-8525-M", "Kyocera TASKalfa 4052ci, bíbor", "TK-8525M", 1, 52900, 0},
		{"TON-KYO-8525-Y", "Kyocera TASKalfa 4052ci, sárga", "TK-8525Y", 1, 52900, 0},
		{"TON-BRO-2420", "Brother HL-L2350DW", "TN-2420", 3, 23900, 1},
		{"TON-BRO-DR2400", "Brother HL-L2350DW dobegység", "DR-2400", 1, 27900, 0},
		{"TON-CAN-057", "Canon i-SENSYS LBP223", "CRG-057", 2, 33900, 1},
		{"TON-XER-3335", "Xerox WorkCentre 3335", "106R03621", 2, 44900, 1},
		{"TON-RIC-MP2014", "Ricoh MP 2014", "842135", 2, 9900, 1},
		{"TON-SAM-116", "Samsung Xpress M2625", "MLT-D116L", 2, 26900, 0},
		{"TINTA-EPS-103-K", "Epson L3150 tinta, fekete", "103 BK", 2, 3490, 0},
		{"TINTA-EPS-103-C", "Epson L3150 tinta, színes készlet", "103 CMY", 1, 8990, 0},
	} {
		hu, en := "Toner "+t.cart+" – "+t.model, "Toner "+t.cart+" – "+enModel(t.model)
		if strings.HasPrefix(t.code, "TINTA") {
			hu, en = t.model+" ("+t.cart+")", enModel(t.model)+" ("+t.cart+")"
		}
		n := len(items) - tonersFrom
		items = append(items, demoItem{t.code, hu, en, "toner", "db", fmt.Sprintf("C-%02d-%d", n/6+1, n%6+1), t.level, t.price, t.weekly})
	}
	items = append(items, []demoItem{
		{"TIS-PADLO-5L", "Padlótisztító, 5 l", "Floor cleaner, 5 l", "cleaning", "flakon", "D-01-1", 6, 2890, 2},
		{"TIS-UVEG-05", "Ablaktisztító, szórófejes, 0,5 l", "Glass cleaner, spray, 0.5 l", "cleaning", "flakon", "D-01-1", 8, 790, 2},
		{"TIS-FELULET", "Felülettisztító, 1 l", "Surface cleaner, 1 l", "cleaning", "flakon", "D-01-2", 8, 990, 2},
		{"TIS-FERTOTLEN", "Fertőtlenítő hatású tisztítószer, 1 l", "Disinfecting cleaner, 1 l", "cleaning", "flakon", "D-01-2", 10, 1290, 3},
		{"TIS-WC-GEL", "WC-tisztító gél, 750 ml", "Toilet cleaning gel, 750 ml", "cleaning", "flakon", "D-01-3", 10, 890, 3},
		{"TIS-VIZKO", "Vízkőoldó, 1 l", "Limescale remover, 1 l", "cleaning", "flakon", "D-01-3", 4, 1190, 1},
		{"TIS-MOSOGATO", "Mosogatószer, 1 l", "Washing-up liquid, 1 l", "cleaning", "flakon", "D-01-4", 6, 690, 2},
		{"TIS-SURO", "Súrolókrém, 500 ml", "Scouring cream, 500 ml", "cleaning", "flakon", "D-01-4", 4, 590, 1},
		{"TIS-SZIVACS", "Mosogatószivacs, 10 db", "Sponges, 10 pcs", "cleaning", "csomag", "D-02-1", 5, 690, 1},
		{"TIS-MIKRO", "Mikroszálas törlőkendő", "Microfibre cloth", "cleaning", "db", "D-02-1", 20, 390, 4},
		{"TIS-FELMOSO", "Felmosófej, pamut", "Mop head, cotton", "cleaning", "db", "D-02-2", 4, 1490, 1},
		{"TIS-KESZTYU-M", "Gumikesztyű, M", "Rubber gloves, M", "cleaning", "par", "D-02-2", 10, 450, 2},
		{"TIS-KESZTYU-L", "Gumikesztyű, L", "Rubber gloves, L", "cleaning", "par", "D-02-2", 10, 450, 2},
		{"ZSAK-60", "Szemeteszsák 60 l, 20 db", "Bin bags 60 l, 20 pcs", "cleaning", "tekercs", "D-02-3", 15, 590, 5},
		{"ZSAK-120", "Szemeteszsák 120 l, 10 db", "Bin bags 120 l, 10 pcs", "cleaning", "tekercs", "D-02-3", 10, 890, 3},
		{"ZSAK-IRODA", "Irodai szemeteszsák 20 l, 50 db", "Office bin liners 20 l, 50 pcs", "cleaning", "tekercs", "D-02-3", 15, 490, 5},
		{"SO-JEGTELENITO", "Jégmentesítő só", "De-icing salt", "cleaning", "kg", "D-03-1", 100, 190, 0},
		{"HIG-WC-PAPIR", "Toalettpapír, 3 rétegű, 8 tekercs", "Toilet paper, 3-ply, 8 rolls", "hygiene", "csomag", "E-01-1", 30, 1690, 12},
		{"HIG-WC-JUMBO", "Toalettpapír jumbo, 12 tekercs", "Jumbo toilet rolls, 12 rolls", "hygiene", "csomag", "E-01-1", 10, 6990, 3},
		{"HIG-KEZTORLO", "Hajtogatott kéztörlő, 4000 lap", "Folded hand towels, 4,000 sheets", "hygiene", "doboz", "E-01-2", 15, 5490, 5},
		{"HIG-KEZTORLO-T", "Tekercses kéztörlő", "Hand towel roll", "hygiene", "tekercs", "E-01-2", 12, 1290, 4},
		{"HIG-SZAPPAN-5L", "Folyékony szappan, 5 l", "Liquid soap, 5 l", "hygiene", "flakon", "E-01-3", 6, 2490, 2},
		{"HIG-SZAPPAN-HAB", "Habszappan utántöltő, 1 l", "Foam soap refill, 1 l", "hygiene", "flakon", "E-01-3", 8, 1690, 2},
		{"HIG-KEZFERTO", "Kézfertőtlenítő gél, 500 ml", "Hand sanitiser gel, 500 ml", "hygiene", "flakon", "E-01-4", 10, 1490, 3},
		{"HIG-KEZKREM", "Kézkrém, 100 ml", "Hand cream, 100 ml", "hygiene", "db", "E-01-4", 5, 590, 1},
		{"HIG-ILLATOSITO", "Légfrissítő spray", "Air freshener spray", "hygiene", "flakon", "E-02-1", 6, 790, 2},
		{"HIG-PAPIRZSEBKENDO", "Papír zsebkendő, 100 db", "Paper tissues, 100 pcs", "hygiene", "doboz", "E-02-1", 10, 590, 3},
		{"HIG-SZALVETA", "Szalvéta, 100 db", "Napkins, 100 pcs", "hygiene", "csomag", "E-02-2", 10, 390, 3},
		{"HIG-EGYSZ-POHAR", "Papírpohár, 2 dl, 50 db", "Paper cups, 2 dl, 50 pcs", "hygiene", "csomag", "E-02-2", 10, 690, 4},
		{"HIG-ELSOSEGELY", "Elsősegélydoboz utántöltő", "First aid kit refill", "hygiene", "db", "E-02-3", 2, 6990, 0},
		{"HIG-MASZK", "Egyszer használatos maszk, 50 db", "Disposable masks, 50 pcs", "hygiene", "doboz", "E-02-3", 2, 1990, 0},
		{"NY-KERELEM-ALT", "Általános kérelem nyomtatvány, 100 lap", "General application form, 100 sheets", "forms", "csomag", "F-01-1", 5, 1990, 2},
		{"NY-ADO-BEV", "Helyi adó bevallási nyomtatvány, 100 lap", "Local tax return form, 100 sheets", "forms", "csomag", "F-01-1", 4, 2490, 1},
		{"NY-EPITESI", "Építési ügyek adatlap, 100 lap", "Building case data sheet, 100 sheets", "forms", "csomag", "F-01-2", 2, 2490, 0},
		{"NY-HAGYATEK", "Hagyatéki leltár nyomtatvány, 50 lap", "Estate inventory form, 50 sheets", "forms", "csomag", "F-01-2", 2, 1990, 0},
		{"NY-LAKCIM", "Lakcímbejelentő lap, 100 lap", "Address registration form, 100 sheets", "forms", "csomag", "F-01-3", 4, 1690, 1},
		{"NY-SZABADSAG", "Szabadságengedély tömb", "Leave permit pad", "forms", "db", "F-01-3", 5, 690, 1},
		{"NY-KIKULDETES", "Kiküldetési rendelvény tömb", "Travel order pad", "forms", "db", "F-01-4", 4, 890, 1},
		{"NY-MENETLEVEL", "Menetlevél tömb", "Vehicle logbook pad", "forms", "db", "F-01-4", 4, 990, 1},
		{"NY-PENZTAR-BE", "Bevételi pénztárbizonylat tömb", "Cash receipt voucher pad", "forms", "db", "F-02-1", 4, 790, 1},
		{"NY-PENZTAR-KI", "Kiadási pénztárbizonylat tömb", "Cash payment voucher pad", "forms", "db", "F-02-1", 4, 790, 1},
		{"NY-SZIGORU", "Szigorú számadású nyomtatvány tömb", "Strictly accountable form pad", "forms", "db", "F-02-2", 2, 1490, 0},
		{"NY-ANYAKONYV", "Anyakönyvi kivonat papír, 100 lap", "Civil register extract paper, 100 sheets", "forms", "csomag", "F-02-3", 2, 8900, 0},
		{"NY-HATAROZAT", "Határozat fejléces papír, 500 lap", "Letterhead for decisions, 500 sheets", "forms", "csomag", "F-02-3", 3, 7490, 1},
		{"NY-JELENLETI", "Jelenléti ív tömb", "Attendance sheet pad", "forms", "db", "F-02-4", 6, 590, 1},
		{"ELEM-AA", "Elem AA (ceruza), 4 db", "Battery AA, 4 pcs", "it", "csomag", "G-01-1", 10, 1290, 3},
		{"ELEM-AAA", "Elem AAA (mikro), 4 db", "Battery AAA, 4 pcs", "it", "csomag", "G-01-1", 10, 1290, 3},
		{"ELEM-9V", "Elem 9 V", "Battery 9 V", "it", "db", "G-01-2", 4, 990, 0},
		{"ELEM-CR2032", "Gombelem CR2032", "Coin cell CR2032", "it", "db", "G-01-2", 6, 390, 1},
		{"AKKU-AA", "Akkumulátor AA, 4 db", "Rechargeable AA, 4 pcs", "it", "csomag", "G-01-3", 2, 4990, 0},
		{"USB-16", "USB pendrive, 16 GB", "USB stick, 16 GB", "it", "db", "G-02-1", 5, 1990, 1},
		{"USB-32", "USB pendrive, 32 GB", "USB stick, 32 GB", "it", "db", "G-02-1", 5, 2490, 1},
		{"USB-64", "USB pendrive, 64 GB", "USB stick, 64 GB", "it", "db", "G-02-1", 3, 3490, 0},
		{"EGER-USB", "Vezetékes egér, USB", "Wired mouse, USB", "it", "db", "G-02-2", 5, 2490, 1},
		{"BILL-USB-HU", "Billentyűzet, USB, magyar", "Keyboard, USB, Hungarian", "it", "db", "G-02-2", 3, 4990, 0},
		{"EGERPAD", "Egérpad", "Mouse pad", "it", "db", "G-02-3", 5, 690, 0},
		{"HDMI-2M", "HDMI kábel, 2 m", "HDMI cable, 2 m", "it", "db", "G-02-3", 3, 1990, 0},
		{"UTP-3M", "UTP patch kábel, Cat6, 3 m", "UTP patch cable, Cat6, 3 m", "it", "db", "G-02-4", 6, 890, 1},
		{"ELOSZTO-5", "Hálózati elosztó, 5 aljzatos", "Power strip, 5 sockets", "it", "db", "G-02-4", 3, 3990, 0},
		{"FEJHALLGATO", "Fejhallgató mikrofonnal, USB", "USB headset with microphone", "it", "db", "G-03-1", 3, 8990, 0},
		{"KAMERA-USB", "Webkamera, Full HD", "Webcam, Full HD", "it", "db", "G-03-1", 1, 14990, 0},
		{"CD-R", "CD-R lemez, 10 db", "CD-R discs, 10 pcs", "it", "csomag", "G-03-2", 2, 2490, 0},
		{"KAVE-SZEMES", "Szemes kávé, 1 kg", "Coffee beans, 1 kg", "other", "csomag", "H-01-1", 6, 6490, 2},
		{"TEA-FILTERES", "Filteres tea, 20 db", "Tea bags, 20 pcs", "other", "doboz", "H-01-1", 8, 590, 2},
		{"CUKOR-KOCKA", "Kockacukor, 500 g", "Sugar cubes, 500 g", "other", "doboz", "H-01-2", 6, 490, 1},
		{"ASVANYVIZ", "Ásványvíz, 0,5 l, 12 db", "Mineral water, 0.5 l, 12 pcs", "other", "csomag", "H-01-3", 20, 1690, 8},
		{"IZZO-LED-E27", "LED izzó, E27, 9 W", "LED bulb, E27, 9 W", "other", "db", "H-02-1", 10, 990, 1},
		{"FENYCSO-LED", "LED fénycső, 120 cm", "LED tube, 120 cm", "other", "db", "H-02-1", 10, 2490, 1},
		{"ZASZLO-HU", "Nemzeti zászló, 1×1,5 m", "National flag, 1×1.5 m", "other", "db", "H-02-2", 1, 8990, 0},
		{"ZASZLO-EU", "Uniós zászló, 1×1,5 m", "EU flag, 1×1.5 m", "other", "db", "H-02-2", 1, 8990, 0},
		{"MADZAG", "Kötöző zsineg", "String", "other", "m", "H-02-3", 50, 15, 5},
	}...)
	return items
}()

// enModel is a printer model's name in English (the colour words).
func enModel(m string) string {
	for hu, en := range map[string]string{", fekete": ", black", ", ciánkék": ", cyan", ", bíbor": ", magenta",
		", sárga": ", yellow", " dobegység": " drum unit", " tinta": " ink", ", színes készlet": ", colour set"} {
		m = strings.ReplaceAll(m, hu, en)
	}
	return m
}
