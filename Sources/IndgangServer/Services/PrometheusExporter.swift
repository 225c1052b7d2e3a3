import Foundation
import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics. `MetricsSystem.bootstrap` may run only once per
/// process, so the first application built bootstraps it and every later one (tests) shares it.
struct PrometheusExporter: Sendable {
    let registry: PrometheusCollectorRegistry

    static let shared: PrometheusExporter = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return PrometheusExporter(registry: registry)
    }()

    func render() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
