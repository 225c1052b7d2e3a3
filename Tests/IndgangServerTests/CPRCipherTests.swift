import Crypto
import Foundation
import IndgangCore
import Testing

@testable import IndgangStore

/// The blind index finds stored citizens: it may never change for a CPR number and a data key. The expected value is
/// HMAC-SHA256 of the ten digits under HKDF-SHA256(data key, info "indgang cpr blind index v1"), computed outside
/// Swift (Python's hmac and hashlib).
@Suite("CPR blind index")
struct CPRCipherTests {
    static let cipher = CPRCipher(dataKey: SymmetricKey(data: Data(repeating: 0x2A, count: 32)))

    @Test("a fixed vector, for both spellings")
    func fixedVector() throws {
        for spelling in ["010150-1234", "0101501234", " 0101501234 "] {
            let index = Self.cipher.blindIndex(try CPR(parsing: spelling))
            #expect(index.map { String(format: "%02x", $0) }.joined() == "f45055eeaf87e1ab7e8bf8832c51399ecb3137bd270bcb751cc31f6944f9d92d")
        }
    }

    @Test("the shared keyed state gives the same indexes from many tasks at once as one at a time")
    func concurrentUse() async throws {
        let numbers = try (0..<2_000).map { try CPR(parsing: String(format: "0101%02d%04d", 40 + $0 % 50, $0)) }
        let expected = numbers.map { Self.cipher.blindIndex($0) }
        let computed = await withTaskGroup(of: (Int, Data).self) { group in
            for (position, number) in numbers.enumerated() { group.addTask { (position, Self.cipher.blindIndex(number)) } }
            var indexes = [Data](repeating: Data(), count: numbers.count)
            for await (position, index) in group { indexes[position] = index }
            return indexes
        }
        #expect(computed == expected)
        #expect(Set(expected).count == numbers.count)
    }
}
