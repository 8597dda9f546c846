/// A string type whose values upstream lists in its schema (`+enum`): `kubectl explain`
/// prints them under the field (`enum: Always, Never, OnFailure`).
public protocol SchemaEnumerated: KubeStringEnum {
    static var schemaValues: [Self] { get }
}

extension RestartPolicy: SchemaEnumerated { public static let schemaValues: [Self] = [.always, .never, .onFailure] }
extension DNSPolicy: SchemaEnumerated { public static let schemaValues: [Self] = [.clusterFirst, .clusterFirstWithHostNet, .default, .none] }
extension PullPolicy: SchemaEnumerated { public static let schemaValues: [Self] = [.always, .ifNotPresent, .never] }
extension TerminationMessagePolicy: SchemaEnumerated { public static let schemaValues: [Self] = [.fallbackToLogsOnError, .file] }
extension PortProtocol: SchemaEnumerated { public static let schemaValues: [Self] = [.sctp, .tcp, .udp] }
extension URIScheme: SchemaEnumerated { public static let schemaValues: [Self] = [.http, .https] }
extension MountPropagationMode: SchemaEnumerated { public static let schemaValues: [Self] = [.bidirectional, .hostToContainer, .none] }
extension RecursiveReadOnlyMode: SchemaEnumerated { public static let schemaValues: [Self] = [.disabled, .enabled, .ifPossible] }
extension HostPathType: SchemaEnumerated {
    public static let schemaValues: [Self] = [.unset, .blockDevice, .charDevice, .directory, .directoryOrCreate, .file, .fileOrCreate, .socket]
}
extension SeccompProfileType: SchemaEnumerated { public static let schemaValues: [Self] = [.localhost, .runtimeDefault, .unconfined] }
extension ProcMountType: SchemaEnumerated { public static let schemaValues: [Self] = [.default, .unmasked] }
extension PodPhase: SchemaEnumerated { public static let schemaValues: [Self] = [.failed, .pending, .running, .succeeded, .unknown] }
extension PodQOSClass: SchemaEnumerated { public static let schemaValues: [Self] = [.bestEffort, .burstable, .guaranteed] }
extension TolerationOperator: SchemaEnumerated { public static let schemaValues: [Self] = [.equal, .exists] }
extension TaintEffect: SchemaEnumerated { public static let schemaValues: [Self] = [.noExecute, .noSchedule, .preferNoSchedule] }
extension NodeSelectorOperator: SchemaEnumerated {
    public static let schemaValues: [Self] = [.doesNotExist, .exists, .gt, .in, .lt, .notIn]
}
extension UnsatisfiableConstraintAction: SchemaEnumerated { public static let schemaValues: [Self] = [.doNotSchedule, .scheduleAnyway] }
extension NodeInclusionPolicy: SchemaEnumerated { public static let schemaValues: [Self] = [.honor, .ignore] }
