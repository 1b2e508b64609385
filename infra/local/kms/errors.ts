/**
 * A KMS error as the service reports it: HTTP 400 with `{"__type": name, "message": ...}`.
 * The SDK maps `__type` to its exception classes, so names must match the real service exactly.
 */
export type KmsErrorName =
  | 'AlreadyExistsException'
  | 'DisabledException'
  | 'IncorrectKeyException'
  | 'InvalidCiphertextException'
  | 'InvalidKeyUsageException'
  | 'InvalidMarkerException'
  | 'KMSInternalException'
  | 'KMSInvalidStateException'
  | 'NotFoundException'
  | 'SerializationException'
  | 'UnknownOperationException'
  | 'UnsupportedOperationException'
  | 'ValidationException';

export class KmsError extends Error {
  constructor(
    readonly type: KmsErrorName,
    message: string,
    readonly statusCode = type === 'KMSInternalException' ? 500 : 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const validation = (message: string) => new KmsError('ValidationException', message);
