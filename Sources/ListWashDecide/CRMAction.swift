/// What the CRM should do with a row that survived suppression, under the run's lead method.
public enum CRMAction: String, CaseIterable, Sendable, Codable {
    /// Create a new lead from the row (disposition `load`).
    case createLead = "create_lead"
    /// Associate the row, as a campaign response, with an existing lead or one created earlier in
    /// the run (disposition `attach`).
    case attachToLead = "attach_to_lead"
    /// Associate the row, as a campaign response, with an existing contact (disposition `attach`).
    case attachToContact = "attach_to_contact"
}
