'use strict';
/**
 * The ICredentialsHelper a run gets: n8n's own CredentialsHelper (packages/cli/src/
 * credentials-helper.ts) for what the credential types here use, without a database or encryption.
 * getDecrypted gives the plain data with the type's defaults and expressions resolved; a generic
 * `authenticate` has its entries resolved against `$credentials` and set on the request. Types with
 * `extends` or restrictToSupportedNodes are refused; none has an expirable property, so
 * preAuthentication answers undefined (as n8n does for such types).
 */
const { requireFromCore } = require('./core');

const { ICredentialsHelper, NodeHelpers, UnexpectedError, UserError, isExpression } =
	requireFromCore('n8n-workflow');
const { getAdditionalKeys } = requireFromCore('n8n-core');

class HarnessCredentialsHelper extends ICredentialsHelper {
	/** @param credentialsByType plain data keyed by credential type name */
	constructor(credentialTypes, credentialsByType) {
		super();
		const unsupported = credentialTypes.find((t) => t.extends || t.restrictToSupportedNodes);
		if (unsupported) throw new UnexpectedError(`${unsupported.name}: not supported by the harness`);
		this.types = new Map(credentialTypes.map((type) => [type.name, type]));
		this.data = new Map(Object.entries(credentialsByType));
	}

	getCredentialType(name) {
		const type = this.types.get(name);
		if (!type) throw new UnexpectedError(`Credential type "${name}" is not in credentialTypes`);
		return type;
	}

	getParentTypes = () => [];

	isCredentialUsableByNode = () => true;

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.getCredentialType(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (authenticate?.type !== 'generic') return requestOptions;
		const keys = { $credentials: credentials };
		const simple = (value) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', keys, undefined, '');
		const resolve = (value) => (isExpression(value) ? String(simple(value) || '') : value);
		requestOptions.headers ??= {};
		for (const [outerKey, entries] of Object.entries(authenticate.properties)) {
			requestOptions[outerKey] ??= {};
			for (const [key, value] of Object.entries(entries))
				requestOptions[outerKey][resolve(key)] = resolve(value);
		}
		return requestOptions;
	}

	preAuthentication = async () => undefined;

	/** As n8n's applyDefaultsAndOverwrites: the type's defaults applied, expressions resolved. */
	async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, _raw, resolve) {
		const stored = this.data.get(type);
		if (stored === undefined) {
			// the message of n8n's CredentialNotFoundError
			throw new UserError(
				`Credential with ID "${nodeCredentials?.id}" does not exist for type "${type}".`,
			);
		}
		const properties = this.getCredentialsProperties(type);
		const data = NodeHelpers.getNodeParameters(properties, { ...stored }, true, false, null, null);
		// Every call from a node execution passes resolve values (n8n's mock-workflow path is left out).
		if (!resolve) return data;
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		try {
			return resolve.workflow.expression.getParameterValue(
				data,
				resolve.runExecutionData,
				resolve.runIndex,
				resolve.itemIndex,
				resolve.node.name,
				resolve.connectionInputData,
				mode,
				additionalKeys,
				executeData,
				false,
				data,
			);
		} catch (e) {
			e.message += ' [Error resolving credentials]';
			throw e;
		}
	}

	getCredentialsProperties(type) {
		return this.getCredentialType(type).properties;
	}
}

module.exports = { HarnessCredentialsHelper };
