import Testing
import ListWashText

@Suite struct ICUTests {
    @Test func foldsDiacriticsAndScripts() {
        #expect(ICU.foldToASCII("José Müller") == "jose muller")
        #expect(ICU.foldToASCII("JOHN") == "john")
        #expect(ICU.foldToASCII("Дмитрий")?.isEmpty == false)
        #expect(ICU.nfc("e\u{301}") == "é")
        #expect(ICU.domainToASCII("bücher.de") == "xn--bcher-kva.de")
        #expect(ICU.titleCased("élise DUPONT") == "Élise Dupont")
        #expect(ICU.regionName("DE", locale: "de") == "Deutschland")
    }
}
