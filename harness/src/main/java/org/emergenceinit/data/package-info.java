/**
 * Datasets for the examples and experiments, offline first.
 *
 * <ul>
 *   <li>{@link org.emergenceinit.data.IdxReader} (and {@link org.emergenceinit.data.IdxWriter}): MNIST and
 *       Fashion-MNIST IDX files, gzipped or plain;</li>
 *   <li>{@link org.emergenceinit.data.Cifar10BinaryReader}: the binary version of CIFAR-10;</li>
 *   <li>{@link org.emergenceinit.data.ImageData}: labelled images kept as bytes, turned into ND4J
 *       {@code DataSet}s batch by batch;</li>
 *   <li>{@link org.emergenceinit.data.Datasets}: finds a dataset by name in {@code --data-dir},
 *       {@code EMERGENCE_DATA}, DL4J's cache, or by DL4J's download, and returns a
 *       {@link org.emergenceinit.data.DatasetSource} with its display label, files, SHA-256 and iterators
 *       ({@link org.emergenceinit.data.ImageDataSetIterator}, seeded per-epoch shuffling);</li>
 *   <li>a user's own data, by the same {@code Datasets.load}: {@code images:DIR} (one subfolder per class, read
 *       with DataVec's {@code ImageRecordReader}) and {@code csv:FILE} (a numeric table, DataVec's
 *       {@code CSVRecordReader}), options in {@link org.emergenceinit.data.OwnDataSpec}, split per class with a
 *       fixed seed; {@link org.emergenceinit.data.SampleData} writes such data from MNIST digits.</li>
 * </ul>
 *
 * <p>{@code mnist-embedded}, a 6,000 / 1,000 image subset of MNIST (CC BY-SA 3.0, Yann LeCun and Corinna
 * Cortes), ships as resources under {@code org/emergenceinit/data/mnist-embedded/}; its README says how it
 * was made ({@code EmbeddedMnistGenerator} in the test sources regenerates it).
 */
package org.emergenceinit.data;
