import IndgangMedCom
import Testing

@Test func medComModuleLoads() {
    _ = MedCom.self
}
