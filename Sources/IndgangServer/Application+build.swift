import Foundation
import Hummingbird
import IndgangConsole
import IndgangSchema
import IndgangStore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The one assembly point: storage, repositories, routes, middleware and background services.
/// `indgang serve` parses its arguments into `config` and runs what this returns.
public func buildApplication(config: AppConfiguration, logger providedLogger: Logger? = nil) async throws -> some ApplicationProtocol {
    let logger = providedLogger ?? {
        var logger = Logger(label: "indgang")
        logger.logLevel = config.logLevel
        return logger
    }()

    let runtime = try await Runtime.assemble(config: config, allowGuest: false, logger: logger)
    let sealed = try runtime.sealedRepositories()
    let (storage, pathways, database, migrator, dataKey) = (runtime.storage, runtime.pathways, runtime.database, runtime.migrator, sealed.dataKey)
    let (actors, cases, handoffs, events, audit) = (runtime.actors, sealed.cases, runtime.handoffs, sealed.events, sealed.audit)
    let (outcomes, notifications, subscriptions) = (runtime.outcomes, runtime.notifications, sealed.subscriptions)
    let fanout = NotificationFanout(database: database)
    let principals = PrincipalCache()
    let resolver = PrincipalResolver(actors: actors, cache: principals)
    let urlGuard = WebhookURLGuard(allowPrivate: config.webhookAllowPrivate, resolver: config.hostResolver)

    // Routes: operations without a key, the API under /v1 behind the key check.
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: try MethodNotAllowedMiddleware(openAPIDocument: try SchemaResources.openAPIDocument()))
    OperationsController(
        database: database, migrator: migrator, metrics: .shared, openAPIDocument: try SchemaResources.openAPIDocument(),
        ruleSetDigest: pathways.digest
    ).addRoutes(to: router)
    let v1 = router.group("v1").add(middleware: AuthMiddleware(resolver: resolver, bootstrapAdminKey: config.adminKey))
    v1.addRoutes(ActorsController(actors: actors, principals: principals).endpoints)
    v1.addRoutes(CitizensController(cases: cases).endpoints)
    v1.addRoutes(CasesController(cases: cases, handoffs: handoffs, pathways: pathways).endpoints)
    v1.addRoutes(HandoffsController(handoffs: handoffs).endpoints)
    v1.addRoutes(AuditController(audit: audit).endpoints)
    v1.addRoutes(CalendarController().endpoints)
    v1.addRoutes(PathwaysController(catalog: pathways).endpoints)
    v1.addRoutes(EventsController(events: events).endpoints)
    v1.addRoutes(MedComController(events: events).endpoints)
    v1.addRoutes(NotificationsController(notifications: notifications).endpoints)
    let outcomeFigures = OutcomesController(reads: runtime.outcomeReads, actors: actors, audit: audit, pathways: pathways)
    v1.addRoutes(outcomeFigures.endpoints)
    let stream = NotificationStream(
        notifications: notifications, fanout: fanout, resolver: resolver, heartbeat: config.streamHeartbeat,
        limiter: ConcurrencyLimit(perKey: config.streamsPerKey))
    v1.get("notifications/stream", use: stream.stream)
    v1.addRoutes(SubscriptionsController(subscriptions: subscriptions, urlGuard: urlGuard).endpoints)
    // The web console: the same repositories behind a browser session instead of a Bearer key.
    ConsoleController(
        renderer: try ConsoleRenderer(), sessions: ConsoleSessionStore(database: database), resolver: resolver,
        bootstrapAdminKeyHash: config.adminKey.map(APIKeyMaterial.hash), cookies: ConsoleCookies(dataKey: dataKey, secure: !config.consoleInsecureCookie),
        actors: actors, cases: cases, handoffs: handoffs, notifications: notifications, pathways: pathways, stream: stream,
        outcomes: outcomeFigures, subscriptions: subscriptions, audit: audit
    ).addRoutes(to: router)

    // Background services, shut down in reverse order (the embedded cluster last).
    var services: [any Service] = []
    if let cluster = storage.cluster { services.append(EmbeddedPostgresService(cluster: cluster)) }
    services.append(runtime.client)
    if let readClient = runtime.readClient { services.append(readClient) }
    services.append(fanout)
    services.append(PrincipalChangeListener(database: database, cache: principals, channel: config.principalChangeChannel))
    services.append(
        WebhookDeliverer(subscriptions: subscriptions, fanout: fanout, backoff: config.webhookBackoff, urlGuard: urlGuard, logger: logger))
    services.append(PeriodicService.deadlineSweeper(handoffs: handoffs, interval: config.schedulerInterval, logger: logger))
    services.append(PeriodicService.outcomeCompactor(outcomes: outcomes, interval: .seconds(30), logger: logger))
    services.append(
        PeriodicService.auditPartitions(
            AuditPartitions(database: database), retentionMonths: config.auditRetentionMonths, interval: .seconds(3600), logger: logger))
    services.append(PeriodicService.backlogGauges(subscriptions: subscriptions, interval: .seconds(15), logger: logger))
    services.append(
        PeriodicService.ruleSetAgreement(
            registry: PostgresRuleSetRegistry(database: database), digest: pathways.digest, interval: .seconds(15), logger: logger))

    var app = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: TimeAmount(config.httpIdleTimeout))),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Indgang"),
        services: services,
        logger: logger
    )
    app.beforeServerStarts { try await runtime.prepareSchema(logger: logger) }
    return app
}

/// Runs the service until SIGTERM or SIGINT. Requests in flight get `config.shutdownGrace` to finish (live streams
/// end at once); what is left then is cancelled — a query the database never answers cannot keep the process — and
/// should that not end it within 5 s either, the process stops hard, still well before a supervisor's SIGKILL.
public func runUntilStopped(_ app: some ApplicationProtocol, config: AppConfiguration, logger: Logger) async throws {
    var configuration = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    configuration.maximumGracefulShutdownDuration = config.shutdownGrace
    configuration.maximumCancellationDuration = .seconds(5)
    try await ServiceGroup(configuration: configuration).run()
}
