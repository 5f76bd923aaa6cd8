package training

// demoTraining is one training of the demo city hall's catalogue, offered
// every year of the demo with the same code.
type demoTraining struct {
	code, hu, en, provider, kind string
	mandatory                    bool
	minutes, points              int
	central                      bool
	cost                         int64
	target                       string
	// list names the target group: department names (resolved to ids),
	// job titles or roles.
	list        []string
	certificate bool
	validMonths int
	// dueMonth is a mandatory training's deadline in the year (its last
	// day); 0 is the year's end.
	dueMonth int
	// perYear is how many of the target group took it in a past year, in
	// percent: a mandatory one nearly all, an optional one a few.
	perYear int
	// every is how many years apart it is held (0 and 1: every year): in
	// the years divisible by it.
	every int
}

// Department names and titles the demo's people have (people/demo.go).
const (
	demoDeskOffice = "Ügyfélszolgálati Iroda"
	demoWorks      = "Műszaki Osztály"
	demoCabinet    = "Polgármesteri Kabinet"
	demoAuthority  = "Hatósági Osztály"
	demoFinance    = "Pénzügyi Osztály"
	demoTax        = "Adóiroda"
)

// demoTrainings is a city hall's training year: three mandatory ones (fire
// safety every year, data protection every two, first aid for those who meet
// the public or work on sites) and optional programmes, most on the central
// list (they earn study points), a few held in house (internal).
var demoTrainings = []demoTraining{
	{code: "TUZ-01", hu: "Tűz- és munkavédelmi oktatás", en: "Fire and work safety training", provider: "Biztonság Mindenekelőtt Kft.",
		kind: KindClassroom, mandatory: true, minutes: 120, cost: 4500, target: TargetEveryone, certificate: true, validMonths: 12, perYear: 96},
	{code: "ADAT-01", hu: "Adatvédelmi és információbiztonsági képzés", en: "Data protection and information security", provider: "Jegyzői Titkárság",
		kind: KindELearning, mandatory: true, minutes: 180, points: 4, cost: 0, target: TargetEveryone, certificate: true, validMonths: 24, dueMonth: 6, perYear: 92, every: 2},
	{code: "ELSO-01", hu: "Elsősegély-nyújtási tanfolyam", en: "First aid course", provider: "Magyar Vöröskereszt",
		kind: KindClassroom, mandatory: true, minutes: 480, cost: 18000, target: TargetDepartments, list: []string{demoDeskOffice, demoWorks, demoCabinet},
		certificate: true, validMonths: 36, perYear: 80, every: 3},
	{code: "ETIK-01", hu: "Közszolgálati etika és integritás", en: "Public service ethics and integrity", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindELearning, minutes: 480, points: 16, central: true, target: TargetEveryone, perYear: 18},
	{code: "HAT-01", hu: "A hatósági eljárás gyakorlata", en: "Administrative procedure in practice", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindOnline, minutes: 960, points: 24, central: true, target: TargetDepartments, list: []string{demoAuthority, demoDeskOffice}, perYear: 30},
	{code: "KOMM-01", hu: "Ügyfélközpontú kommunikáció", en: "Customer-centred communication", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindClassroom, minutes: 720, points: 16, central: true, target: TargetEveryone, perYear: 14},
	{code: "EXCEL-02", hu: "Excel haladóknak", en: "Excel for advanced users", provider: "Informatikai Csoport",
		kind: KindClassroom, minutes: 360, points: 4, target: TargetEveryone, perYear: 12},
	{code: "PROJ-01", hu: "Projektmenedzsment a közigazgatásban", en: "Project management in public administration", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindOnline, minutes: 960, points: 32, central: true, target: TargetEveryone, perYear: 8},
	{code: "KOZB-01", hu: "Közbeszerzési alapismeretek", en: "Public procurement basics", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindELearning, minutes: 480, points: 16, central: true, target: TargetDepartments, list: []string{demoFinance, demoWorks}, perYear: 25},
	{code: "ANYA-01", hu: "Anyakönyvi szakmai konferencia", en: "Civil registry conference", provider: "Anyakönyvvezetők Egyesülete",
		kind: KindConference, minutes: 960, points: 8, central: true, cost: 35000, target: TargetTitles, list: []string{"anyakönyvvezető"}, perYear: 90},
	{code: "VEZ-01", hu: "Vezetői kompetenciafejlesztés", en: "Leadership skills", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindClassroom, minutes: 1440, points: 32, central: true, target: TargetTitles, list: []string{"osztályvezető", "irodavezető", "kabinetvezető", "jegyző"}, perYear: 30},
	{code: "ADO-01", hu: "Helyi adók: a jogszabályok változásai", en: "Local taxes: changes in the law", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindOnline, minutes: 240, points: 8, central: true, target: TargetDepartments, list: []string{demoTax}, perYear: 70},
	{code: "DIGI-01", hu: "Digitális ügyintézés és e-Papír", en: "Digital case handling and e-Paper", provider: "Nemzeti Közszolgálati Egyetem",
		kind: KindELearning, minutes: 240, points: 8, central: true, target: TargetEveryone, perYear: 20},
	{code: "ANGOL-01", hu: "Angol nyelvi tréning (B2)", en: "English language training (B2)", provider: "Lingua Nyelviskola Bt.",
		kind: KindClassroom, minutes: 1800, points: 8, cost: 60000, target: TargetEveryone, perYear: 4},
}

// demoSecondary are the demo people with secondary education (64 points a
// period); everyone else is a graduate.
var demoSecondary = map[string]bool{
	"frontdesk": true, "juhasz.laura": true, "olah.kristof": true, "storekeeper": true, "vincze.marta": true,
}

// demoTrainers are outside trainers by training code; a code missing here
// is taught by a member of staff (demoStaffTrainers) or has no sessions.
var demoTrainers = map[string]string{
	"TUZ-01":  "Bárány Ferenc",
	"ELSO-01": "Dr. Halász Eszter",
	"KOMM-01": "Kelemen Judit",
}

// demoStaffTrainers are members of staff who teach a training, by code.
var demoStaffTrainers = map[string]string{
	"EXCEL-02": "it",
	"ADAT-01":  "hr",
}
