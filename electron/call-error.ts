// The error a contract client raises for a failed call: the ContractError
// as an Error. Its own file, with no runtime imports, so the renderer can
// import a class without pulling in the schemas (and zod).
import type { ContractError, ContractErrorCode } from "./contract.js";

/** A failed call as the client raises it: the ContractError, as an Error. */
export class CallError extends Error implements ContractError {
  readonly code: ContractErrorCode;
  readonly detail?: string;
  constructor(error: ContractError) {
    super(error.message);
    this.name = "CallError";
    this.code = error.code;
    this.detail = error.detail;
  }
}
