import { describe } from 'vitest';
import { FakeRuntime } from '../doubles/fake-runtime.js';
import {
  describeWith,
  openTestAdapters,
  removeInstanceContainers,
  TEST_IMAGE,
  uniquePrefix,
} from '../support/services.js';
import { containerRuntimeContract } from './container-runtime.contract.js';

describeWith({ docker: true })('DockerRuntime keeps the ContainerRuntime contract on a real engine', () => {
  containerRuntimeContract(async (instance) => {
    const adapters = openTestAdapters(uniquePrefix());
    return {
      runtime: adapters.runtime,
      image: TEST_IMAGE,
      close: async () => {
        await removeInstanceContainers(adapters.docker, instance);
        await adapters.close();
      },
    };
  });
});

describe('FakeRuntime (the unit-test double) keeps the ContainerRuntime contract', () => {
  containerRuntimeContract(async () => ({
    runtime: new FakeRuntime({ images: [TEST_IMAGE] }),
    image: TEST_IMAGE,
    close: async () => {},
  }));
});
