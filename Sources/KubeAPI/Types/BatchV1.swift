// batch/v1 Job and CronJob (k8s.io/api/batch/v1/types.go, v1.32).

extension BatchV1 {
    public struct Job: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: JobSpec?
        public var status: JobStatus?
    }

    public struct PodFailurePolicyOnExitCodesRequirement: Codable, Hashable, Sendable {
        public var containerName: String?
        @ZeroIfAbsent public var `operator`: String
        @ZeroIfAbsent public var values: [Int32]
    }

    public struct PodFailurePolicyOnPodConditionsPattern: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
    }

    public struct PodFailurePolicyRule: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var action: String
        public var onExitCodes: PodFailurePolicyOnExitCodesRequirement?
        public var onPodConditions: [PodFailurePolicyOnPodConditionsPattern]?
    }

    public struct PodFailurePolicy: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var rules: [PodFailurePolicyRule]
    }

    public struct SuccessPolicy: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var rules: [SuccessPolicyRule]
    }

    public struct SuccessPolicyRule: Codable, Hashable, Sendable {
        public var succeededIndexes: String?
        public var succeededCount: Int32?
    }

    public struct JobSpec: Codable, Hashable, Sendable {
        public var parallelism: Int32?
        public var completions: Int32?
        public var activeDeadlineSeconds: Int64?
        public var podFailurePolicy: PodFailurePolicy?
        public var successPolicy: SuccessPolicy?
        public var backoffLimit: Int32?
        public var backoffLimitPerIndex: Int32?
        public var maxFailedIndexes: Int32?
        public var selector: MetaV1.LabelSelector?
        public var manualSelector: Bool?
        @ZeroIfAbsent public var template: CoreV1.PodTemplateSpec
        public var ttlSecondsAfterFinished: Int32?
        public var completionMode: String?
        public var suspend: Bool?
        public var podReplacementPolicy: String?
        public var managedBy: String?
    }

    public struct JobStatus: Codable, Hashable, Sendable {
        public var conditions: [JobCondition]?
        public var startTime: Time?
        public var completionTime: Time?
        public var active: Int32?
        public var succeeded: Int32?
        public var failed: Int32?
        public var terminating: Int32?
        public var completedIndexes: String?
        public var failedIndexes: String?
        public var uncountedTerminatedPods: UncountedTerminatedPods?
        public var ready: Int32?
    }

    public struct UncountedTerminatedPods: Codable, Hashable, Sendable {
        public var succeeded: [String]?
        public var failed: [String]?
    }

    public struct JobCondition: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var type: String
        @ZeroIfAbsent public var status: String
        public var lastProbeTime: Time?
        public var lastTransitionTime: Time?
        public var reason: String?
        public var message: String?
    }

    public struct JobTemplateSpec: Codable, Hashable, Sendable {
        public var metadata: ObjectMeta?
        public var spec: JobSpec?

        public init() {}
    }

    public struct CronJob: Codable, Hashable, Sendable {
        public var apiVersion: String?
        public var kind: String?
        public var metadata: ObjectMeta?
        public var spec: CronJobSpec?
        public var status: CronJobStatus?
    }

    public struct CronJobSpec: Codable, Hashable, Sendable {
        @ZeroIfAbsent public var schedule: String
        public var timeZone: String?
        public var startingDeadlineSeconds: Int64?
        public var concurrencyPolicy: String?
        public var suspend: Bool?
        @ZeroIfAbsent public var jobTemplate: JobTemplateSpec
        public var successfulJobsHistoryLimit: Int32?
        public var failedJobsHistoryLimit: Int32?
    }

    public struct CronJobStatus: Codable, Hashable, Sendable {
        public var active: [CoreV1.ObjectReference]?
        public var lastScheduleTime: Time?
        public var lastSuccessfulTime: Time?
    }
}

extension BatchV1.JobTemplateSpec: GoZeroValue {
    public static var goZero: BatchV1.JobTemplateSpec { BatchV1.JobTemplateSpec() }
}

// MARK: - Descriptions

extension BatchV1.Job: SchemaDescribed {
    public static let schemaDescription =
        "Runs pods until a given number of them finish successfully, retrying failures up to a limit."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"batch/v1\".",
        "kind": "The REST resource this object represents: \"Job\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "What the job should run and when it counts as finished.",
        "status": "The job's most recently observed progress, maintained by the job controller.",
    ]
}

extension BatchV1.PodFailurePolicyOnExitCodesRequirement: SchemaDescribed {
    public static let schemaDescription =
        "Matches a failed pod by the exit codes of its terminated containers; exit code 0 is never considered."
    public static let fieldDescriptions: [String: String] = [
        "containerName": "Only look at the container (or init container) with this name; when null, "
            + "every container is checked.",
        "operator": "How exit codes are compared with values: \"In\" (matches when some exit code is in "
            + "the list) or \"NotIn\" (matches when some exit code is not in it).",
        "values": "The exit codes to compare against: sorted, without duplicates, 1 to 255 entries; 0 is "
            + "not allowed with In.",
    ]
}

extension BatchV1.PodFailurePolicyOnPodConditionsPattern: SchemaDescribed {
    public static let schemaDescription =
        "Matches a failed pod that carries a pod condition with the given type and status."
    public static let fieldDescriptions: [String: String] = [
        "type": "The pod condition type to look for, e.g. \"DisruptionTarget\".",
        "status": "The status that condition must have: \"True\", \"False\" or \"Unknown\". Default True.",
    ]
}

extension BatchV1.PodFailurePolicyRule: SchemaDescribed {
    public static let schemaDescription =
        "One pod failure policy rule: an action, applied when the failed pod matches the exit-code "
        + "requirement or one of the condition patterns (exactly one of the two is set)."
    public static let fieldDescriptions: [String: String] = [
        "action": "What to do with a matching failure: \"FailJob\" (fail the whole job and stop its pods), "
            + "\"FailIndex\" (fail that index without retrying it), \"Ignore\" (replace the pod without "
            + "counting against backoffLimit) or \"Count\" (the default handling, counting it).",
        "onExitCodes": "Matches the failure by container exit codes.",
        "onPodConditions": "Matches the failure if any of these patterns (at most 20) matches one of the "
            + "pod's conditions.",
    ]
}

extension BatchV1.PodFailurePolicy: SchemaDescribed {
    public static let schemaDescription =
        "Decides how a failed pod affects its job, by matching the failure against a list of rules."
    public static let fieldDescriptions: [String: String] = [
        "rules": "Rules checked in order; the first one that matches a failure decides the action. A "
            + "failure no rule matches counts against backoffLimit. At most 20 rules.",
    ]
}

extension BatchV1.SuccessPolicy: SchemaDescribed {
    public static let schemaDescription =
        "Lets an Indexed job succeed before every index has completed, once certain indexes have."
    public static let fieldDescriptions: [String: String] = [
        "rules": "Alternative success rules (at most 20), checked in order; when any one is met the job "
            + "gets the SuccessCriteriaMet condition, its remaining pods are stopped and it ends Complete.",
    ]
}

extension BatchV1.SuccessPolicyRule: SchemaDescribed {
    public static let schemaDescription =
        "One success rule for an Indexed job; at least one of its fields must be set."
    public static let fieldDescriptions: [String: String] = [
        "succeededIndexes": "Indexes that must all have succeeded, written as comma-separated numbers and "
            + "ranges within 0 to completions-1, e.g. \"1,3-5,7\". Not checked when null.",
        "succeededCount": "How many indexes must have succeeded (only counting those in succeededIndexes, "
            + "when that is set); a positive number. Not checked when null.",
    ]
}

extension BatchV1.JobSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a job."
    public static let fieldDescriptions: [String: String] = [
        "parallelism": "The most pods the job runs at the same time; fewer run once less work remains. "
            + "Default 1.",
        "completions": "How many pods must succeed for the job to succeed. When null, the first pod to "
            + "succeed means the whole job has succeeded.",
        "activeDeadlineSeconds": "How long, in seconds after startTime, the job may stay active before it "
            + "is stopped and marked failed. Must be positive; suspending the job pauses and resets the clock.",
        "podFailurePolicy": "Rules deciding how individual pod failures affect the job. When empty, each "
            + "failure counts against backoffLimit. Cannot be combined with restartPolicy OnFailure.",
        "successPolicy": "For Indexed jobs, rules that declare the job successful before every index has "
            + "succeeded. When empty, the job succeeds once completions pods have succeeded.",
        "backoffLimit": "How many retries are allowed before the job is marked failed. Default 6.",
        "backoffLimitPerIndex": "For Indexed jobs with restartPolicy Never, how many retries each index "
            + "gets before that index is marked failed. Immutable.",
        "maxFailedIndexes": "With backoffLimitPerIndex, how many indexes may fail before the whole job is "
            + "marked failed; when null, every index runs to the end.",
        "selector": "A label query over the pods the job counts. Normally generated by the system.",
        "manualSelector": "When true, you choose the pod labels and selector yourself instead of the "
            + "system generating unique ones. Default false; leave it unset unless you know you need it.",
        "template": "The pods the job creates. Their restartPolicy must be \"Never\" or \"OnFailure\".",
        "ttlSecondsAfterFinished": "If set, the finished job (Complete or Failed) becomes eligible for "
            + "automatic deletion this many seconds after it finishes (0 means at once). Unset: never deleted "
            + "automatically.",
        "completionMode": "How completions are tracked: \"NonIndexed\" (any completions successful pods "
            + "suffice) or \"Indexed\" (each index 0 to completions-1 needs one successful pod). Default NonIndexed.",
        "suspend": "While true, the controller creates no pods and deletes running ones; resuming resets "
            + "startTime. Default false.",
        "podReplacementPolicy": "When a replacement pod is created: \"TerminatingOrFailed\" (as soon as "
            + "the old pod starts terminating or fails) or \"Failed\" (only once it has fully terminated). "
            + "Must be Failed when podFailurePolicy is set; default TerminatingOrFailed otherwise.",
        "managedBy": "The controller responsible for the job; the built-in job controller skips jobs with a "
            + "value other than \"kubernetes.io/job-controller\" (the default when unset). At most 63 "
            + "characters; immutable.",
    ]
}

extension BatchV1.JobStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a job."
    public static let fieldDescriptions: [String: String] = [
        "conditions": "The job's current conditions, of type \"Complete\", \"Failed\", \"Suspended\", "
            + "\"FailureTarget\" or \"SuccessCriteriaMet\". A job has finished once Complete or Failed is True.",
        "startTime": "When the job controller started working on the job; reset each time a suspended job "
            + "is resumed.",
        "completionTime": "When the job finished successfully; never set for a failed job.",
        "active": "How many of the job's pods are pending or running and not being deleted.",
        "succeeded": "How many of the job's pods have reached phase Succeeded.",
        "failed": "How many of the job's pods have reached phase Failed.",
        "terminating": "How many of the job's pods are being deleted but have not yet finished.",
        "completedIndexes": "For Indexed jobs, the indexes that have completed, as comma-separated numbers "
            + "and ranges such as \"1,3-5,7\".",
        "failedIndexes": "With backoffLimitPerIndex, the indexes that have failed, in the same format as "
            + "completedIndexes.",
        "uncountedTerminatedPods": "UIDs of finished pods the controller has not yet added to the "
            + "succeeded and failed counters.",
        "ready": "How many of the job's pods are Ready and not being deleted.",
    ]
}

extension BatchV1.UncountedTerminatedPods: SchemaDescribed {
    public static let schemaDescription =
        "Pods that have finished but that the job controller has not yet counted in the job's status."
    public static let fieldDescriptions: [String: String] = [
        "succeeded": "UIDs of pods that succeeded and are not yet counted.",
        "failed": "UIDs of pods that failed and are not yet counted.",
    ]
}

extension BatchV1.JobCondition: SchemaDescribed {
    public static let schemaDescription = "One aspect of a job's current state."
    public static let fieldDescriptions: [String: String] = [
        "type": "The kind of condition: \"Complete\", \"Failed\", \"Suspended\", \"FailureTarget\" or "
            + "\"SuccessCriteriaMet\".",
        "status": "Whether the condition holds: \"True\", \"False\" or \"Unknown\".",
        "lastProbeTime": "When the condition was last checked.",
        "lastTransitionTime": "When status last changed from one value to another.",
        "reason": "A short CamelCase token explaining the last transition.",
        "message": "A human-readable explanation of the last transition.",
    ]
}

extension BatchV1.JobTemplateSpec: SchemaDescribed {
    public static let schemaDescription = "The blueprint a cron job creates each of its jobs from."
    public static let fieldDescriptions: [String: String] = [
        "metadata": "Metadata (labels, annotations, …) given to each job created from the template.",
        "spec": "The spec of each job created from the template.",
    ]
}

extension BatchV1.CronJob: SchemaDescribed {
    public static let schemaDescription = "Creates a job from a template on a repeating, cron-style schedule."
    public static let fieldDescriptions: [String: String] = [
        "apiVersion": "The versioned schema of this object: \"batch/v1\".",
        "kind": "The REST resource this object represents: \"CronJob\".",
        "metadata": "Standard object metadata: name, namespace, labels, annotations and so on.",
        "spec": "The schedule and the job to run on it.",
        "status": "The cron job's most recently observed state, maintained by the cron job controller.",
    ]
}

extension BatchV1.CronJobSpec: SchemaDescribed {
    public static let schemaDescription = "The desired behavior of a cron job."
    public static let fieldDescriptions: [String: String] = [
        "schedule": "When to run, in cron format, e.g. \"*/5 * * * *\" or \"@hourly\".",
        "timeZone": "The IANA time zone the schedule is read in, e.g. \"Europe/Berlin\". When unset, the "
            + "controller's local time zone is used.",
        "startingDeadlineSeconds": "How late, in seconds, a run may still start after its scheduled time; "
            + "runs missed by more than this count as failed. Unset: no deadline.",
        "concurrencyPolicy": "What to do when a run is due while the previous job is still running: "
            + "\"Allow\" (run both), \"Forbid\" (skip the new run) or \"Replace\" (stop the old job and start "
            + "the new one). Default Allow.",
        "suspend": "While true, no new runs start; jobs already started are unaffected. Default false.",
        "jobTemplate": "The job to create on each run.",
        "successfulJobsHistoryLimit": "How many finished successful jobs to keep. Default 3.",
        "failedJobsHistoryLimit": "How many finished failed jobs to keep. Default 1.",
    ]
}

extension BatchV1.CronJobStatus: SchemaDescribed {
    public static let schemaDescription = "The observed state of a cron job."
    public static let fieldDescriptions: [String: String] = [
        "active": "References to the cron job's jobs that are currently running.",
        "lastScheduleTime": "When a job was last scheduled to start.",
        "lastSuccessfulTime": "When a job last finished successfully.",
    ]
}
