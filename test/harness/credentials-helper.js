'use strict';
/**
 * An ICredentialsHelper for tests. It mirrors n8n's own CredentialsHelper
 * (packages/cli/src/credentials-helper.ts) for what the credentials tested here use, without a
 * database or encryption:
 *  - getDecrypted: the plain data given to the harness, plus the credential
 *    type's defaults, with expressions resolved (applyDefaultsAndOverwrites);
 *  - authenticate: a function `authenticate` is called, a generic one has its
 *    headers/qs/body/auth entries resolved against `$credentials` and set on the
 *    request, exactly as n8n does;
 *  - getParentTypes / getCredentialsProperties follow `extends`.
 * No credential here has an expirable property or OAuth, so preAuthentication answers undefined
 * (as n8n does for such types) and there is no token to refresh.
 */
const { requireFromCore } = require('./core');

const { ICredentialsHelper, ICredentials, NodeHelpers, UnexpectedError, UserError, isExpression } =
	requireFromCore('n8n-workflow');
const { getAdditionalKeys } = requireFromCore('n8n-core');

class InMemoryCredentials extends ICredentials {
	constructor(nodeCredentials, type, plain) {
		super(nodeCredentials, type, '');
		this.plain = plain;
	}
	async getData() {
		return { ...this.plain };
	}
	getDataToSave() {
		return { id: this.id, name: this.name, type: this.type, data: '' };
	}
	async setData(data) {
		this.plain = { ...data };
	}
	async updateData(toUpdate, toDelete = []) {
		const d = { ...this.plain, ...toUpdate };
		for (const k of toDelete) delete d[k];
		this.plain = d;
	}
}

class HarnessCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {object[]} credentialTypes ICredentialType instances
	 * @param {Record<string, object>} credentialsByType plain data keyed by credential type name
	 */
	constructor(credentialTypes, credentialsByType) {
		super();
		this.types = new Map();
		for (const t of credentialTypes) this.types.set(t.name, t);
		this.data = new Map(Object.entries(credentialsByType ?? {}).map(([k, v]) => [k, { ...v }]));
	}

	getCredentialType(name) {
		const t = this.types.get(name);
		if (!t)
			throw new UnexpectedError(`Unknown credential type "${name}" (pass it in credentialTypes)`);
		return t;
	}

	getParentTypes(name) {
		const t = this.types.get(name);
		if (!t || !t.extends) return [];
		const out = [];
		for (const parent of t.extends) {
			out.push(parent, ...this.getParentTypes(parent));
		}
		return out;
	}

	isCredentialUsableByNode(credentialType, nodeType) {
		const t = this.types.get(credentialType);
		if (!t || !t.restrictToSupportedNodes) return true;
		return (t.supportedNodes ?? []).some((n) => n === nodeType || nodeType.endsWith(`.${n}`));
	}

	async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.getCredentialType(typeName);
		if (credentialType.authenticate) {
			if (typeof credentialType.authenticate === 'function') {
				return await credentialType.authenticate(credentials, requestOptions);
			}
			if (typeof credentialType.authenticate === 'object') {
				if (!workflow || !node) {
					throw new UnexpectedError(
						'Workflow and node are required for declarative credential authentication',
					);
				}
				const { authenticate } = credentialType;
				if (requestOptions.headers === undefined) requestOptions.headers = {};
				if (authenticate.type === 'generic') {
					for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
						for (const [key, value] of Object.entries(outerValue)) {
							const keyResolved = this.resolveValue(
								key,
								{ $credentials: credentials },
								workflow,
								node,
							);
							const valueResolved = this.resolveValue(
								value,
								{ $credentials: credentials },
								workflow,
								node,
							);
							if (!requestOptions[outerKey]) requestOptions[outerKey] = {};
							requestOptions[outerKey][keyResolved] = valueResolved;
						}
					}
				}
			}
		}
		return requestOptions;
	}

	resolveValue(parameterValue, additionalKeys, workflow, node) {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	/** n8n answers undefined for a type without a hidden `expirable` property: every type here. */
	async preAuthentication() {
		return undefined;
	}

	async getCredentials(nodeCredentials, type) {
		return new InMemoryCredentials(nodeCredentials, type, this.getStored(nodeCredentials, type));
	}

	getStored(nodeCredentials, type) {
		const stored = this.data.get(type);
		if (stored === undefined) {
			// the message n8n's CredentialNotFoundError gives
			throw new UserError(
				`Credential with ID "${nodeCredentials?.id}" does not exist for type "${type}".`,
			);
		}
		return stored;
	}

	/**
	 * The stored data; unless `raw`, with the type's defaults applied and expressions resolved, as
	 * n8n's applyDefaultsAndOverwrites does.
	 */
	async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, raw, resolve) {
		const stored = { ...this.getStored(nodeCredentials, type) };
		if (raw === true) return stored;
		const properties = this.getCredentialsProperties(type);
		const data = NodeHelpers.getNodeParameters(properties, stored, true, false, null, null);
		// (n8n resolves expressions against a mock workflow when no resolve values are
		// given; every call from a node execution passes them, so that path is left out.)
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

	async updateCredentials(nodeCredentials, type, data) {
		this.data.set(type, { ...data });
	}

	getCredentialsProperties(type) {
		const credentialTypeData = this.getCredentialType(type);
		if (credentialTypeData.extends === undefined) return credentialTypeData.properties;
		const combineProperties = [];
		for (const credentialsTypeName of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(
				combineProperties,
				this.getCredentialsProperties(credentialsTypeName),
			);
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}
}

module.exports = { HarnessCredentialsHelper };
