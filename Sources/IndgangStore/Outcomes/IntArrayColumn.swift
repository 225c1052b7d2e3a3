import NIOCore
import PostgresNIO

/// A one-dimensional `bigint[]` or `integer[]` column without NULLs, read straight from PostgreSQL's binary array
/// format. PostgresNIO's generic `[Int64]` decoding instantiates generic metadata for every element: the five-year
/// monthly handoff figures decode two histograms of 78 buckets for each of ~4,000 groups, and that took a third of
/// the request's CPU (perf, 2026-12-04, a million citizens).
struct IntArrayColumn: PostgresDecodable, Sendable {
    let values: [Int]

    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        // Header: dimensions, a has-nulls flag, the element type; then length and lower bound per dimension.
        guard format == .binary, let (dimensions, _, elementType) = buffer.readMultipleIntegers(endianness: .big, as: (Int32, Int32, UInt32).self)
        else { throw PostgresDecodingError.Code.failure }
        let width: Int32
        switch PostgresDataType(elementType) {
        case .int8: width = 8
        case .int4: width = 4
        default: throw PostgresDecodingError.Code.typeMismatch
        }
        guard dimensions != 0 else {
            values = []
            return
        }
        guard dimensions == 1, let (count, _) = buffer.readMultipleIntegers(endianness: .big, as: (Int32, Int32).self), count >= 0 else {
            throw PostgresDecodingError.Code.failure
        }
        var values: [Int] = []
        values.reserveCapacity(Int(count))
        for _ in 0..<count {
            // Each element is its length (-1 for NULL, which a histogram never holds) and its big-endian bytes.
            guard buffer.readInteger(endianness: .big, as: Int32.self) == width,
                let value = width == 8 ? buffer.readInteger(endianness: .big, as: Int64.self).map(Int.init)
                    : buffer.readInteger(endianness: .big, as: Int32.self).map(Int.init)
            else { throw PostgresDecodingError.Code.failure }
            values.append(value)
        }
        guard buffer.readableBytes == 0 else { throw PostgresDecodingError.Code.failure }
        self.values = values
    }
}
