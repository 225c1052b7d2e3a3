/// MedCom HospitalNotification: the FHIR messages Danish hospitals send, translated to Indgang events (pure, no I/O).
public enum MedCom {}
